import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportItemView } from '../../../../shared/contract';
import { DataGrid } from '../../ui/DataGrid';

interface ReportRow extends ImportItemView {
  readonly seq: number;
}

interface Props {
  readonly items: readonly ImportItemView[] | null;
  readonly testId: string;
}

/** Every file of a batch with its fate; quarantined files stand out and can be shown alone. */
export function BatchReport({ items, testId }: Props) {
  const { t } = useTranslation();
  const [quarantinedOnly, setQuarantinedOnly] = useState(false);
  const rows = useMemo<ReportRow[] | null>(() => {
    if (!items) return null;
    const all = items.map((item, seq) => ({ ...item, seq }));
    return quarantinedOnly ? all.filter((r) => r.status === 'quarantined') : all;
  }, [items, quarantinedOnly]);
  const quarantined = items?.filter((i) => i.status === 'quarantined').length ?? 0;

  const columns = useMemo<ColDef<ReportRow>[]>(
    () => [
      { headerName: t('data.report.path'), field: 'path', flex: 2, minWidth: 220, tooltipField: 'path' },
      {
        headerName: t('data.report.status'),
        colId: 'status',
        width: 130,
        valueGetter: (p) => (p.data ? t(`data.status.${p.data.status}`) : ''),
        cellClass: (p) => (p.data?.status === 'quarantined' ? 'cell-warn' : ''),
      },
      { headerName: t('data.report.reason'), colId: 'reason', flex: 3, minWidth: 240, valueGetter: (p) => p.data?.reason ?? '', tooltipValueGetter: (p) => p.data?.reason },
      { headerName: t('data.report.imageId'), colId: 'imageId', width: 100, valueGetter: (p) => p.data?.id ?? '' },
    ],
    [t],
  );

  return (
    <div className="panel-fill report" data-testid={testId}>
      <div className="toolbar">
        <span className="muted" data-testid={`${testId}-summary`}>
          {t('data.report.summary', { count: items?.length ?? 0, quarantined })}
        </span>
        <label className="check">
          <input type="checkbox" data-testid={`${testId}-quarantined-only`} checked={quarantinedOnly} onChange={(e) => setQuarantinedOnly(e.target.checked)} />
          {t('data.report.quarantinedOnly')}
        </label>
      </div>
      <DataGrid<ReportRow>
        testId={`${testId}-grid`}
        rows={rows}
        columns={columns}
        rowId={(r) => String(r.seq)}
        rowClass={(r) => (r.status === 'quarantined' ? 'row-quarantined' : undefined)}
      />
    </div>
  );
}
