import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompareRun, DetailRow, DetailStatus, DetailView } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { CsvLink } from '../common/CsvLink';
import { LinkCell } from '../common/LinkCell';

export const DETAIL_STATUSES: readonly DetailStatus[] = ['fixed', 'broken', 'still_wrong', 'always_right', 'mixed'];

interface Props {
  readonly detail: DetailView;
  readonly runs: readonly CompareRun[];
  readonly filter: DetailStatus | 'all';
  readonly onFilter: (status: DetailStatus | 'all') => void;
  readonly onOpenImage: (imageId: number) => void;
}

/** Rows of a detail table that pass the status filter. */
export function filterDetail(rows: readonly DetailRow[], filter: DetailStatus | 'all'): DetailRow[] {
  return filter === 'all' ? [...rows] : rows.filter((r) => r.status === filter);
}

/**
 * The per-image detail of one metric across the runs (the seed's "accuracy detail", "precision
 * detail"): each image's outcome and prediction per run, and whether the last run fixed it,
 * broke it, or it stayed wrong / right; filterable by that status.
 */
export function DetailTable({ detail, runs, filter, onFilter, onOpenImage }: Props) {
  const { t } = useTranslation();
  const nameOf = (id: number) => runs.find((r) => r.id === id)?.name ?? `#${id}`;
  const rows = useMemo(() => filterDetail(detail.rows, filter), [detail.rows, filter]);
  const columns = useMemo<ColDef<DetailRow>[]>(
    () => [
      {
        headerName: t('results.detail.image'),
        colId: 'image',
        width: 100,
        valueGetter: (p) => p.data?.imageId,
        cellRenderer: LinkCell,
        cellRendererParams: { link: (row: DetailRow) => ({ open: () => onOpenImage(row.imageId), testId: `detail-image-${row.imageId}` }) },
      },
      { headerName: t('results.detail.truth'), colId: 'truth', width: 130, valueGetter: (p) => p.data?.trueClass ?? '—' },
      ...detail.runIds.map<ColDef<DetailRow>>((id) => ({
        headerName: nameOf(id),
        colId: `run_${id}`,
        flex: 1,
        minWidth: 150,
        valueGetter: (p) => {
          const outcome = p.data?.outcomes[id];
          if (outcome === null || outcome === undefined) return t('results.detail.notInRun');
          const predicted = p.data?.predicted[id];
          return `${t(`results.sets.${outcome}`, { defaultValue: outcome })} → ${predicted ?? t('results.charts.missed')}`;
        },
        cellClass: (p) => {
          const o = p.data?.outcomes[id];
          return o === 'wrong' || o === 'missed' || o === 'fp' || o === 'fn' ? 'tone-worse' : o ? 'tone-better' : undefined;
        },
      })),
      {
        headerName: t('results.detail.status'),
        colId: 'status',
        width: 140,
        valueGetter: (p) => (p.data ? t(`results.detail.statuses.${p.data.status}`) : ''),
        cellClass: (p) => (p.data ? `status-${p.data.status}` : undefined),
      },
    ],
    // nameOf reads `runs`.
    [t, detail.runIds, runs, onOpenImage],
  );
  const csv = useMemo(
    () => ({
      headers: ['image', 'truth', ...detail.runIds.flatMap((id) => [`${nameOf(id)} outcome`, `${nameOf(id)} predicted`]), 'status'],
      rows: rows.map((r) => [r.imageId, r.trueClass, ...detail.runIds.flatMap((id) => [r.outcomes[id] ?? null, r.predicted[id] ?? null]), r.status]),
    }),
    // nameOf reads `runs`.
    [rows, detail.runIds, runs],
  );
  return (
    <div className="panel-fill" data-testid="detail-table">
      <div className="toolbar">
        <div className="chip-row" role="radiogroup">
          <button type="button" className={`chip${filter === 'all' ? ' active' : ''}`} aria-pressed={filter === 'all'} data-testid="detail-filter-all" onClick={() => onFilter('all')}>
            {t('results.sets.all')} ({detail.rows.length})
          </button>
          {DETAIL_STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip status-${s}${filter === s ? ' active' : ''}`}
              aria-pressed={filter === s}
              data-testid={`detail-filter-${s}`}
              data-count={detail.counts[s]}
              onClick={() => onFilter(s)}
            >
              {t(`results.detail.statuses.${s}`)} ({detail.counts[s]})
            </button>
          ))}
        </div>
        <CsvLink name="detail" testId="detail-csv" headers={csv.headers} rows={csv.rows} />
      </div>
      <div className="detail-grid-box">
        <DataGrid<DetailRow> testId="detail-grid" rows={rows} columns={columns} rowId={(r) => String(r.imageId)} />
      </div>
    </div>
  );
}
