import type { ColDef, GetRowIdParams, GridApi, IRowNode, RowClassParams, RowClickedEvent, SelectionChangedEvent, SortChangedEvent } from 'ag-grid-community';
import { themeQuartz } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { cspNonce } from '../core/csp-nonce';

const selection = { mode: 'singleRow', checkboxes: false, enableClickSelection: true } as const;
const multiSelection = { mode: 'multiRow', checkboxes: true, headerCheckbox: true, enableClickSelection: true } as const;

/** The clinical look, through ag-grid's Theming API (no CSS imports, STACK-NOTES §5). */
const theme = themeQuartz.withParams({
  accentColor: '#1d5fa8',
  fontFamily: 'inherit',
  fontSize: 13,
  headerFontWeight: 600,
  headerBackgroundColor: '#eef2f6',
  foregroundColor: '#1b2430',
  borderColor: '#d5dce4',
  rowHoverColor: '#eaf2fb',
  selectedRowBackgroundColor: '#d6e6f7',
  spacing: 6,
  wrapperBorderRadius: 6,
});

/** A sort the caller applies itself (server-side paging): the column clicked and the direction. */
export interface GridSort {
  readonly colId: string;
  readonly dir: 'asc' | 'desc';
}

/** Every row keeps the order it came in: the server has sorted it already. */
const keepServerOrder = () => 0;

interface Props<Row> {
  readonly rows: readonly Row[] | null;
  readonly columns: ColDef<Row>[];
  readonly rowId: (row: Row) => string;
  readonly onRowClicked?: (row: Row) => void;
  readonly selectedId?: string | null;
  readonly testId: string;
  /** Checkbox selection of several rows; `selectedIds` are re-selected whenever the rows change. */
  readonly multiSelect?: boolean;
  readonly selectedIds?: readonly string[];
  /** The rows selected on this grid now, and every row it holds now (multi-selection). */
  readonly onSelectionChanged?: (selected: Row[], shown: Row[]) => void;
  /**
   * Sorting by the caller (e.g. the server, for paged data): a header click reports the sort and
   * the grid keeps the rows in the order given; without it the grid sorts its rows itself.
   */
  readonly onSortChanged?: (sort: GridSort | null) => void;
  readonly rowClass?: (row: Row) => string | undefined;
  readonly rowHeight?: number;
}

/**
 * Every grid of the app goes through here so that each one carries the CSP style nonce (ag-grid
 * injects <style> elements; the policy allows them only with the nonce) and the same theme.
 * Modules are registered once in main.tsx.
 */
export function DataGrid<Row>({
  rows,
  columns,
  rowId,
  onRowClicked,
  selectedId,
  testId,
  multiSelect,
  selectedIds,
  onSelectionChanged,
  onSortChanged,
  rowClass,
  rowHeight,
}: Props<Row>) {
  const { t, i18n } = useTranslation();
  const localeText = useMemo(
    () => ({ noRowsToShow: t('grid.noRows'), loadingOoo: t('grid.loading') }),
    [t, i18n.language],
  );
  const externalSort = Boolean(onSortChanged);
  const defaultColDef = useMemo<ColDef<Row>>(
    () =>
      externalSort
        ? { sortable: true, resizable: true, filter: false, comparator: keepServerOrder }
        : { sortable: true, resizable: true, filter: true },
    [externalSort],
  );
  // A stable array while the caller's rows are unchanged: ag-grid then keeps its rendered cells.
  const rowData = useMemo(() => (rows ? [...rows] : null), [rows]);
  const rowSelection = multiSelect ? multiSelection : onRowClicked ? selection : undefined;
  const gridApi = useRef<GridApi<Row> | null>(null);

  // The caller owns the multi-selection: when it changes (cleared, new filter), the checkboxes follow.
  useEffect(() => {
    const api = gridApi.current;
    if (!multiSelect || !api || api.isDestroyed()) return;
    syncSelection(api, selectedIds ?? []);
  }, [multiSelect, selectedIds]);

  return (
    <div className="grid-host" data-testid={testId}>
      <AgGridReact<Row>
        key={i18n.language}
        theme={theme}
        styleNonce={cspNonce()}
        rowData={rowData}
        columnDefs={columns}
        defaultColDef={defaultColDef}
        getRowId={(p: GetRowIdParams<Row>) => rowId(p.data)}
        localeText={localeText}
        rowSelection={rowSelection}
        {...(rowHeight ? { rowHeight } : {})}
        {...(rowClass ? { getRowClass: (p: RowClassParams<Row>) => (p.data ? rowClass(p.data) : undefined) } : {})}
        onGridReady={(e) => {
          gridApi.current = e.api;
        }}
        onRowDataUpdated={(e) => {
          // Keeps the chosen row(s) highlighted after the rows are replaced (create, update, next page).
          if (selectedId) e.api.getRowNode(selectedId)?.setSelected(true, true);
          if (multiSelect) syncSelection(e.api, selectedIds ?? []);
        }}
        onSelectionChanged={
          onSelectionChanged
            ? (e: SelectionChangedEvent<Row>) => {
                const shown: Row[] = [];
                e.api.forEachNode((n) => n.data && shown.push(n.data));
                onSelectionChanged(e.api.getSelectedRows(), shown);
              }
            : undefined
        }
        onSortChanged={
          onSortChanged
            ? (e: SortChangedEvent<Row>) => {
                // Only a person's click: sorts set from column definitions must not loop back.
                if (e.source !== 'uiColumnSorted') return;
                const sorted = e.api.getColumnState().find((c) => c.sort);
                onSortChanged(sorted?.sort ? { colId: sorted.colId, dir: sorted.sort } : null);
              }
            : undefined
        }
        onRowClicked={onRowClicked ? (e: RowClickedEvent<Row>) => e.data && onRowClicked(e.data) : undefined}
        animateRows={false}
      />
    </div>
  );
}

/** Checks exactly the rows with these ids among those the grid holds; touches only rows that differ. */
function syncSelection<Row>(api: GridApi<Row>, ids: readonly string[]): void {
  const wanted = new Set(ids);
  const on: IRowNode<Row>[] = [];
  const off: IRowNode<Row>[] = [];
  api.forEachNode((node) => {
    const want = node.id !== undefined && wanted.has(node.id);
    if (want && !node.isSelected()) on.push(node);
    if (!want && node.isSelected()) off.push(node);
  });
  if (on.length) api.setNodesSelected({ nodes: on, newValue: true, source: 'api' });
  if (off.length) api.setNodesSelected({ nodes: off, newValue: false, source: 'api' });
}
