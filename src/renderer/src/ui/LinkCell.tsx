import type { ICellRendererParams } from 'ag-grid-community';

/** What a grid cell links to: the action and the test id; null = plain text. */
export interface CellLink {
  readonly open: () => void;
  readonly testId: string;
  readonly title?: string;
}

export interface LinkCellParams<Row> {
  readonly link: (row: Row, colId: string) => CellLink | null;
}

/**
 * A grid cell that is a link (DESIGN §3 "every number is a link"): a button in the cell, so it
 * is reachable by keyboard and clicking it does not also select the row.
 */
export function LinkCell<Row>(p: ICellRendererParams<Row> & LinkCellParams<Row>) {
  const text = p.valueFormatted ?? (p.value === null || p.value === undefined ? '' : String(p.value));
  const link = p.data ? p.link(p.data, p.column?.getColId() ?? '') : null;
  if (!link) return <span>{text}</span>;
  return (
    <button
      type="button"
      className="cell-link"
      data-testid={link.testId}
      title={link.title}
      onClick={(e) => {
        e.stopPropagation();
        link.open();
      }}
    >
      {text}
    </button>
  );
}
