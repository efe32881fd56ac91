import type { ICellRendererParams } from 'ag-grid-community';

/** What a grid cell opens; null = plain text. */
export interface CellLink {
  readonly open: () => void;
  readonly testId: string;
}

export interface GridLinkParams<Row> {
  readonly link: (row: Row, colId: string) => CellLink | null;
}

/** A grid cell that is a button (keyboard-reachable; clicking it does not also select the row). */
export function GridLink<Row>(p: ICellRendererParams<Row> & GridLinkParams<Row>) {
  const text = p.valueFormatted ?? (p.value === null || p.value === undefined ? '' : String(p.value));
  const link = p.data ? p.link(p.data, p.column?.getColId() ?? '') : null;
  if (!link) return <span>{text}</span>;
  return (
    <button
      type="button"
      className="cell-link"
      data-testid={link.testId}
      onClick={(e) => {
        e.stopPropagation();
        link.open();
      }}
    >
      {text}
    </button>
  );
}
