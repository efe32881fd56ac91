import type { ColDef, GetRowIdParams, RowClickedEvent } from 'ag-grid-community';
import { themeQuartz } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { cspNonce } from '../core/csp-nonce';

const selection = { mode: 'singleRow', checkboxes: false, enableClickSelection: true } as const;

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

interface Props<Row> {
  readonly rows: readonly Row[] | null;
  readonly columns: ColDef<Row>[];
  readonly rowId: (row: Row) => string;
  readonly onRowClicked?: (row: Row) => void;
  readonly selectedId?: string | null;
  readonly testId: string;
}

/**
 * Every grid of the app goes through here so that each one carries the CSP style nonce (ag-grid
 * injects <style> elements; the policy allows them only with the nonce) and the same theme.
 * Modules are registered once in main.tsx.
 */
export function DataGrid<Row>({ rows, columns, rowId, onRowClicked, selectedId, testId }: Props<Row>) {
  const { t, i18n } = useTranslation();
  const localeText = useMemo(
    () => ({ noRowsToShow: t('grid.noRows'), loadingOoo: t('grid.loading') }),
    [t, i18n.language],
  );
  const defaultColDef = useMemo<ColDef<Row>>(() => ({ sortable: true, resizable: true, filter: true }), []);
  return (
    <div className="grid-host" data-testid={testId}>
      <AgGridReact<Row>
        key={i18n.language}
        theme={theme}
        styleNonce={cspNonce()}
        rowData={rows ? [...rows] : null}
        columnDefs={columns}
        defaultColDef={defaultColDef}
        getRowId={(p: GetRowIdParams<Row>) => rowId(p.data)}
        localeText={localeText}
        rowSelection={onRowClicked ? selection : undefined}
        onRowDataUpdated={(e) => {
          // Keeps the chosen row highlighted after the rows are replaced (create, update).
          if (selectedId) e.api.getRowNode(selectedId)?.setSelected(true, true);
        }}
        onRowClicked={onRowClicked ? (e: RowClickedEvent<Row>) => e.data && onRowClicked(e.data) : undefined}
        animateRows={false}
      />
    </div>
  );
}
