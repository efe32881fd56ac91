import type { ColDef, ColGroupDef, ValueFormatterParams } from 'ag-grid-community';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompareRow, CompareView } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { CsvLink } from '../common/CsvLink';
import { LinkCell } from '../../../ui/LinkCell';
import { deltaTone, deltasAgainst, formatDelta, formatFigure } from '../compare-rules';
import { compareRowDrill } from '../drill-cells';
import { useDrillStore } from '../drill-store';
import { drillTitle, metricLabel } from '../labels';

const rowKey = (r: CompareRow) => `${r.metric}|${r.className ?? ''}`;
/** Test ids must not contain spaces: `macro precision` → `macro_precision`. */
export const compareCellTestId = (runId: number, metric: string, className: string | null) =>
  `compare-cell-${runId}-${metric.replace(/\s+/g, '_')}-${className ?? 'all'}`;

/**
 * Rows metric × class, a column group per run (value, and Δ against the baseline), coloured
 * better / worse by the metric's direction; every value opens the images behind it in that run.
 */
export function CompareGrid({ view, contextRunIds }: { view: CompareView; contextRunIds: readonly number[] }) {
  const { t } = useTranslation();
  const openDrill = useDrillStore((s) => s.openDrill);
  const baselineId = view.baselineId;

  const columns = useMemo<(ColDef<CompareRow> | ColGroupDef<CompareRow>)[]>(() => {
    const runGroups: ColGroupDef<CompareRow>[] = view.runs.map((run) => {
      const isBase = run.id === baselineId;
      const tone = (row: CompareRow | undefined) => (row && !isBase ? deltaTone(deltasAgainst(row, baselineId)[run.id], row.higherIsBetter) : null);
      const value: ColDef<CompareRow> = {
        headerName: t('results.compare.value'),
        colId: `v_${run.id}`,
        width: 130,
        type: 'numericColumn',
        valueGetter: (p) => p.data?.values[run.id] ?? null,
        valueFormatter: (p: ValueFormatterParams<CompareRow>) => formatFigure(p.value as number | null, p.data?.metric ?? ''),
        cellRenderer: LinkCell,
        cellRendererParams: {
          link: (row: CompareRow) => {
            const cell = compareRowDrill(row.metric, row.className);
            if (!cell || row.values[run.id] === null || run.flags.includes('no results imported yet')) return null;
            return {
              open: () => void openDrill(run.id, cell, drillTitle(t, cell, run.name), contextRunIds, 'drill'),
              testId: compareCellTestId(run.id, row.metric, row.className),
              title: t('results.drill.openHint'),
            };
          },
        },
        cellClass: (p) => {
          const k = tone(p.data);
          return k ? `tone-${k}` : undefined;
        },
      };
      const delta: ColDef<CompareRow> = {
        headerName: 'Δ',
        colId: `d_${run.id}`,
        width: 90,
        type: 'numericColumn',
        valueGetter: (p) => (p.data ? (deltasAgainst(p.data, baselineId)[run.id] ?? null) : null),
        valueFormatter: (p: ValueFormatterParams<CompareRow>) => formatDelta(p.value as number | null, p.data?.metric ?? ''),
        cellClass: (p) => {
          const k = tone(p.data);
          return k ? `tone-${k} cell-delta` : 'cell-delta';
        },
      };
      const flagged = run.flags.length > 0;
      return {
        headerName: `${flagged ? '⚠ ' : ''}${run.name}${isBase ? ` (${t('results.compare.baseline')})` : ''}`,
        headerTooltip: flagged ? run.flags.join('\n') : `${run.modelName} · v${run.datasetVersion}`,
        headerClass: flagged ? 'header-flagged' : isBase ? 'header-baseline' : undefined,
        groupId: `run_${run.id}`,
        children: isBase ? [value] : [value, delta],
      };
    });
    return [
      { headerName: t('results.compare.metric'), colId: 'metric', pinned: 'left', width: 190, valueGetter: (p) => (p.data ? metricLabel(t, p.data.metric) : '') },
      { headerName: t('results.runs.class'), colId: 'class', pinned: 'left', width: 130, valueGetter: (p) => p.data?.className ?? t('results.scope.overall') },
      ...runGroups,
    ];
  }, [view.runs, baselineId, t, openDrill, contextRunIds]);

  const csv = useMemo(() => {
    const headers = ['metric', 'class', ...view.runs.flatMap((r) => (r.id === baselineId ? [r.name] : [r.name, `Δ ${r.name}`]))];
    const rows = view.rows.map((row) => {
      const d = deltasAgainst(row, baselineId);
      return [row.metric, row.className, ...view.runs.flatMap((r) => (r.id === baselineId ? [row.values[r.id] ?? null] : [row.values[r.id] ?? null, d[r.id] ?? null]))];
    });
    return { headers, rows };
  }, [view, baselineId]);

  return (
    <div className="panel-fill">
      <div className="toolbar">
        <h3>{t('results.compare.gridTitle', { count: view.runs.length })}</h3>
        <CsvLink name="comparison" testId="compare-csv" headers={csv.headers} rows={csv.rows} />
      </div>
      <div className="compare-grid-box">
        <DataGrid<CompareRow> testId="compare-grid" rows={view.rows} columns={columns as ColDef<CompareRow>[]} rowId={rowKey} />
      </div>
    </div>
  );
}
