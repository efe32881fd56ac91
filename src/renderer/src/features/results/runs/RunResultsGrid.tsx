import type { ColDef, ValueFormatterParams } from 'ag-grid-community';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DrillCell, RunView } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { CsvLink } from '../common/CsvLink';
import { LinkCell, type LinkCellParams } from '../../../ui/LinkCell';
import { formatFigure } from '../compare-rules';
import { resultCellDrill, type ResultColumn } from '../drill-cells';
import { metricLabel } from '../labels';
import { figureColumns, resultRows, standardFor, type FigureColumn, type ResultRow } from '../result-rows';

interface Props {
  readonly run: RunView & { readonly metrics: NonNullable<RunView['metrics']> };
  readonly onDrill: (cell: DrillCell) => void;
}

const quantColId = (matrixId: number) => `quant_${matrixId}`;

/** Every metric per class and overall (DESIGN §3), each figure a link to its images, standards shown pass/fail. */
export function RunResultsGrid({ run, onDrill }: Props) {
  const { t } = useTranslation();
  const metrics = run.metrics;
  const rows = useMemo(() => resultRows(metrics), [metrics]);
  const figures = useMemo(() => figureColumns(metrics), [metrics]);
  const columns = useMemo<ColDef<ResultRow>[]>(() => {
    const scopeLabel = (r: ResultRow) => (r.scope.kind === 'class' ? r.scope.className : t(`results.scope.${r.scope.kind}`));
    const linkParams = (column: ResultColumn, colId: string): LinkCellParams<ResultRow> => ({
      link: (row) => {
        const value = typeof column === 'object' ? row.quant[column.quantMatrixId] : row.figures[column];
        if (value === undefined) return null;
        const cell = resultCellDrill(row.scope, column);
        if (!cell) return null;
        return { open: () => onDrill(cell), testId: `result-cell-${row.key}-${colId}`, title: t('results.drill.openHint') };
      },
    });
    const cellClass = (column: FigureColumn | 'quant') => (p: { data?: ResultRow | undefined }) => {
      if (!p.data) return undefined;
      const s = standardFor(run.standards, p.data.scope, column);
      if (!s || s.pass === null) return 'cell-figure';
      return s.pass ? 'cell-figure std-pass' : 'cell-figure std-fail';
    };
    const tooltip = (column: FigureColumn | 'quant') => (p: { data?: ResultRow | undefined }) => {
      if (!p.data) return undefined;
      const s = standardFor(run.standards, p.data.scope, column);
      if (!s) return undefined;
      return t(s.pass === null ? 'results.standards.unknown' : s.pass ? 'results.standards.passTip' : 'results.standards.failTip', {
        name: s.name,
        rule: `${s.comparison === '>=' ? '≥' : '≤'} ${s.threshold}`,
      });
    };
    const figureCols: ColDef<ResultRow>[] = figures.map((f) => ({
      headerName: metricLabel(t, f),
      colId: f,
      width: f === 'tp' || f === 'fp' || f === 'fn' || f === 'tn' ? 80 : 112,
      filter: false,
      suppressHeaderMenuButton: true,
      type: 'numericColumn',
      valueGetter: (p) => p.data?.figures[f] ?? (p.data && f in p.data.figures ? null : undefined),
      valueFormatter: (p: ValueFormatterParams<ResultRow>) => (p.value === undefined ? '' : formatFigure(p.value as number | null, f)),
      cellRenderer: LinkCell,
      cellRendererParams: linkParams(f, f),
      cellClass: cellClass(f),
      tooltipValueGetter: tooltip(f),
      sortable: false,
    }));
    const quantCols: ColDef<ResultRow>[] = metrics.quant.map((q) => ({
      headerName: t('results.metric.quantNamed', { name: q.name }),
      colId: quantColId(q.matrixId),
      width: 150,
      filter: false,
      suppressHeaderMenuButton: true,
      type: 'numericColumn',
      valueGetter: (p) => (p.data && q.matrixId in p.data.quant ? p.data.quant[q.matrixId] : undefined),
      valueFormatter: (p: ValueFormatterParams<ResultRow>) => (p.value === undefined ? '' : formatFigure(p.value as number | null, 'quant')),
      cellRenderer: LinkCell,
      cellRendererParams: linkParams({ quantMatrixId: q.matrixId }, quantColId(q.matrixId)),
      cellClass: cellClass('quant'),
      tooltipValueGetter: tooltip('quant'),
      sortable: false,
    }));
    return [
      {
        headerName: t('results.runs.class'),
        colId: 'scope',
        pinned: 'left',
        minWidth: 130,
        flex: 1,
        filter: false,
        valueGetter: (p) => (p.data ? scopeLabel(p.data) : ''),
        cellClass: (p) => (p.data?.scope.kind === 'class' ? undefined : 'cell-scope'),
        sortable: false,
      },
      ...figureCols,
      ...quantCols,
    ];
  }, [t, figures, metrics.quant, run.standards, onDrill]);

  const csvHeaders = useMemo(() => ['class', ...figures, ...metrics.quant.map((q) => `quant ${q.name}`)], [figures, metrics.quant]);
  const csvRows = useMemo(
    () => rows.map((r) => [r.scope.kind === 'class' ? r.scope.className : r.scope.kind, ...figures.map((f) => r.figures[f] ?? null), ...metrics.quant.map((q) => r.quant[q.matrixId] ?? null)]),
    [rows, figures, metrics.quant],
  );

  return (
    <div className="panel-fill">
      <div className="toolbar">
        <h3>{t('results.runs.resultsTitle')}</h3>
        <CsvLink name={`${run.name} results`} testId="run-results-csv" headers={csvHeaders} rows={csvRows} />
      </div>
      <div className="results-grid-box">
        <DataGrid<ResultRow> testId="run-results-grid" rows={rows} columns={columns} rowId={(r) => r.key} rowClass={(r) => (r.scope.kind === 'class' ? undefined : 'row-summary')} />
      </div>
    </div>
  );
}
