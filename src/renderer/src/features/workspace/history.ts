import type { Mark } from '../../../../shared/labeling';

/**
 * Undo/redo over the marks of the images of one workspace session: a stack of changes, each
 * the marks of one image before and after. Pure data (HOUSE-STYLE 16): the store keeps it,
 * the viewer applies what it returns.
 */
export interface MarkChange {
  readonly imageId: number;
  readonly before: readonly Mark[];
  readonly after: readonly Mark[];
}

export interface History {
  readonly past: readonly MarkChange[];
  readonly future: readonly MarkChange[];
}

export const EMPTY_HISTORY: History = { past: [], future: [] };

/** Older steps drop off: a day's work must not grow without bound. */
export const HISTORY_LIMIT = 200;

/** Records a change; a new change clears the redo branch. A change that changes nothing is not recorded. */
export function record(history: History, change: MarkChange): History {
  if (JSON.stringify(change.before) === JSON.stringify(change.after)) return history;
  return { past: [...history.past, change].slice(-HISTORY_LIMIT), future: [] };
}

/** The change to revert (apply its `before`), and the history after undoing it. */
export function undo(history: History): { history: History; apply: { imageId: number; marks: readonly Mark[] } } | null {
  const change = history.past.at(-1);
  if (!change) return null;
  return {
    history: { past: history.past.slice(0, -1), future: [change, ...history.future] },
    apply: { imageId: change.imageId, marks: change.before },
  };
}

/** The change to apply again (its `after`), and the history after redoing it. */
export function redo(history: History): { history: History; apply: { imageId: number; marks: readonly Mark[] } } | null {
  const change = history.future[0];
  if (!change) return null;
  return {
    history: { past: [...history.past, change], future: history.future.slice(1) },
    apply: { imageId: change.imageId, marks: change.after },
  };
}
