import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunSummary } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { formatDateTime } from '../../../ui/format';
import { CsvLink } from '../common/CsvLink';
import { formatFigure } from '../compare-rules';

interface Props {
  readonly runs: readonly RunSummary[] | null;
  readonly selectedId: number | null;
  readonly picked: readonly number[];
  readonly onSelect: (id: number) => void;
  readonly onPick: (ids: number[]) => void;
}

/** Every run with its status and headline figure; ticked runs go to the comparison. */
export function RunsGrid({ runs, selectedId, picked, onSelect, onPick }: Props) {
  const { t, i18n } = useTranslation();
  const columns = useMemo<ColDef<RunSummary>[]>(
    () => [
      { headerName: t('results.runs.name'), field: 'name', flex: 1.3, minWidth: 150 },
      { headerName: t('results.runs.model'), field: 'modelName', flex: 1, minWidth: 110 },
      { headerName: t('results.runs.dataset'), colId: 'dataset', flex: 1.3, minWidth: 150, valueGetter: (p) => (p.data ? `${p.data.datasetName} v${p.data.datasetVersion}` : '') },
      { headerName: t('results.runs.task'), colId: 'task', width: 120, valueGetter: (p) => (p.data ? t(`results.task.${p.data.task}`) : '') },
      {
        headerName: t('results.runs.status'),
        colId: 'status',
        width: 150,
        valueGetter: (p) => (p.data ? t(`results.runs.statuses.${p.data.status}`) : ''),
        cellClass: (p) => (p.data?.status === 'awaiting_results' ? 'cell-pending' : undefined),
      },
      {
        headerName: t('results.runs.headline'),
        colId: 'headline',
        width: 130,
        type: 'numericColumn',
        valueGetter: (p) => p.data?.headline ?? null,
        valueFormatter: (p) => formatFigure(p.value as number | null, 'accuracy'),
        headerTooltip: t('results.runs.headlineHint'),
      },
      { headerName: t('results.runs.created'), colId: 'created', width: 170, valueGetter: (p) => formatDateTime(p.data?.createdAt, i18n.language) },
    ],
    [t, i18n.language],
  );
  const csvRows = useMemo(
    () => (runs ?? []).map((r) => [r.id, r.name, r.modelName, r.datasetName, r.datasetVersion, r.task, r.status, r.headline, r.createdAt]),
    [runs],
  );
  return (
    <div className="panel-fill runs-grid-box">
      <div className="toolbar">
        <span className="muted">{t('results.runs.pickHint')}</span>
        <CsvLink
          name="runs"
          testId="runs-csv"
          headers={['id', 'name', 'model', 'dataset', 'version', 'task', 'status', 'headline', 'createdAt']}
          rows={csvRows}
        />
      </div>
      <DataGrid<RunSummary>
        testId="runs-grid"
        rows={runs}
        columns={columns}
        rowId={(r) => String(r.id)}
        multiSelect
        selectedIds={picked.map(String)}
        onSelectionChanged={(rows) => onPick(rows.map((r) => r.id))}
        onRowClicked={(r) => onSelect(r.id)}
        rowClass={(r) => (r.id === selectedId ? 'row-current' : undefined)}
      />
    </div>
  );
}
