import type { ColDef } from 'ag-grid-community';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DETAIL_STATUSES, type CompareRun, type DetailStatus, type DetailView } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { LinkCell } from '../../../ui/LinkCell';
import { detailCsv, detailGridRows, filterDetail, outcomeAt, predictedAt, statusAt, trueClassAt, type DetailGridRow } from './detail-grid';
import { LazyCsvLink } from './LazyCsvLink';

interface Props {
  readonly detail: DetailView;
  readonly runs: readonly CompareRun[];
  readonly filter: DetailStatus | 'all';
  readonly onFilter: (status: DetailStatus | 'all') => void;
  readonly onOpenImage: (imageId: number) => void;
}

/**
 * The per-image detail of one metric across the runs (the seed's "accuracy detail", "precision
 * detail"): each image's outcome and prediction per run, and whether the last run fixed it,
 * broke it, or it stayed wrong / right; filterable by that status.
 */
export function DetailTable({ detail, runs, filter, onFilter, onOpenImage }: Props) {
  const { t } = useTranslation();
  const nameOf = (id: number) => runs.find((r) => r.id === id)?.name ?? `#${id}`;
  const all = useMemo(() => detailGridRows(detail), [detail]);
  const rows = useMemo(() => filterDetail(detail, all, filter), [detail, all, filter]);
  const columns = useMemo<ColDef<DetailGridRow>[]>(
    () => [
      {
        headerName: t('results.detail.image'),
        colId: 'image',
        width: 100,
        valueGetter: (p) => (p.data ? detail.imageIds[p.data.i] : undefined),
        cellRenderer: LinkCell,
        cellRendererParams: {
          link: (row: DetailGridRow) => {
            const imageId = detail.imageIds[row.i] as number;
            return { open: () => onOpenImage(imageId), testId: `detail-image-${imageId}` };
          },
        },
      },
      { headerName: t('results.detail.truth'), colId: 'truth', width: 130, valueGetter: (p) => (p.data ? trueClassAt(detail, p.data.i) : null) ?? '—' },
      ...detail.runIds.map<ColDef<DetailGridRow>>((id, k) => ({
        headerName: nameOf(id),
        colId: `run_${id}`,
        flex: 1,
        minWidth: 150,
        valueGetter: (p) => {
          const outcome = p.data ? outcomeAt(detail, k, p.data.i) : null;
          if (outcome === null) return t('results.detail.notInRun');
          const predicted = p.data ? predictedAt(detail, k, p.data.i) : null;
          return `${t(`results.sets.${outcome}`, { defaultValue: outcome })} → ${predicted ?? t('results.charts.missed')}`;
        },
        cellClass: (p) => {
          const o = p.data ? outcomeAt(detail, k, p.data.i) : null;
          return o === 'wrong' || o === 'missed' || o === 'fp' || o === 'fn' ? 'tone-worse' : o ? 'tone-better' : undefined;
        },
      })),
      {
        headerName: t('results.detail.status'),
        colId: 'status',
        width: 140,
        valueGetter: (p) => (p.data ? t(`results.detail.statuses.${statusAt(detail, p.data.i)}`) : ''),
        cellClass: (p) => (p.data ? `status-${statusAt(detail, p.data.i)}` : undefined),
      },
    ],
    // nameOf reads `runs`.
    [t, detail, runs, onOpenImage],
  );
  // The CSV is built when asked for, from the rows shown (every one, not only those on screen).
  const buildCsv = useCallback(
    () => detailCsv(detail, rows, nameOf),
    // nameOf reads `runs`.
    [detail, rows, runs],
  );
  return (
    <div className="panel-fill" data-testid="detail-table">
      <div className="toolbar">
        <div className="chip-row" role="radiogroup">
          <button type="button" className={`chip${filter === 'all' ? ' active' : ''}`} aria-pressed={filter === 'all'} data-testid="detail-filter-all" onClick={() => onFilter('all')}>
            {t('results.sets.all')} ({detail.imageIds.length})
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
        <LazyCsvLink name="detail" testId="detail-csv" build={buildCsv} rowCount={rows.length} />
      </div>
      <div className="detail-grid-box">
        <DataGrid<DetailGridRow> testId="detail-grid" rows={rows} columns={columns} rowId={(r) => String(detail.imageIds[r.i])} />
      </div>
    </div>
  );
}
