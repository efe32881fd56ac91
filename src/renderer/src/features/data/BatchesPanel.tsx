import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { BatchSummary } from '../../../../shared/contract';
import { DataGrid } from '../../ui/DataGrid';
import { formatDateTime } from '../../ui/format';
import { useBatchesStore } from './batches-store';
import { BatchReport } from './BatchReport';

/** Every import batch; a row opens its report. */
export function BatchesPanel() {
  const { t, i18n } = useTranslation();
  const batches = useBatchesStore((s) => s.batches);
  const openId = useBatchesStore((s) => s.openId);
  const items = useBatchesStore((s) => s.items);
  const { load, open, close } = useBatchesStore.getState();

  useEffect(() => {
    void useBatchesStore.getState().load();
  }, []);

  const columns = useMemo<ColDef<BatchSummary>[]>(
    () => [
      { headerName: '#', field: 'id', width: 80 },
      { headerName: t('data.batches.started'), colId: 'startedAt', width: 190, valueGetter: (p) => formatDateTime(p.data?.startedAt, i18n.language) },
      { headerName: t('data.batches.finished'), colId: 'finishedAt', width: 190, valueGetter: (p) => formatDateTime(p.data?.finishedAt, i18n.language) },
      { headerName: t('data.batches.status'), colId: 'status', width: 130, valueGetter: (p) => (p.data ? t(`data.batchStatus.${p.data.status}`) : '') },
      { headerName: t('data.batches.by'), field: 'actorName', width: 120 },
      { headerName: t('data.import.total'), field: 'total', width: 90 },
      { headerName: t('data.import.imported'), field: 'imported', width: 100 },
      { headerName: t('data.import.duplicates'), field: 'duplicates', width: 100 },
      {
        headerName: t('data.import.quarantined'),
        field: 'quarantined',
        width: 110,
        cellClass: (p) => (p.data && p.data.quarantined > 0 ? 'cell-warn' : ''),
      },
    ],
    [t, i18n.language],
  );

  return (
    <section className="panel-fill batches" data-testid="data-batches">
      <div className="toolbar">
        <span className="muted">{t('data.batches.hint')}</span>
        <button type="button" className="btn" data-testid="batches-refresh" onClick={() => void load()}>
          {t('common.refresh')}
        </button>
      </div>
      <DataGrid<BatchSummary>
        testId="batches-grid"
        rows={batches}
        columns={columns}
        rowId={(b) => String(b.id)}
        selectedId={openId === null ? null : String(openId)}
        onRowClicked={(b) => void open(b.id)}
      />
      {openId !== null && (
        <div className="panel-fill batch-open">
          <div className="toolbar">
            <h3 data-testid="batch-report-title">{t('data.batches.reportTitle', { batch: openId })}</h3>
            <button type="button" className="btn btn-small" onClick={close}>
              {t('data.dialog.close')}
            </button>
          </div>
          <BatchReport key={openId} items={items} testId="batch-report" />
        </div>
      )}
    </section>
  );
}
