import { create } from 'zustand';
import type { ErrorData } from '../../../shared/errors';

export interface ShownError {
  readonly id: number;
  readonly error: ErrorData;
}

interface ErrorState {
  readonly errors: readonly ShownError[];
  push(error: ErrorData): void;
  dismiss(id: number): void;
  clear(): void;
}

let nextId = 1;
/** Older errors drop off: a stuck loop must not bury the screen. */
const MAX_SHOWN = 4;

/** Errors of background calls, shown by <ErrorToasts/>; forms show their own errors inline. */
export const useErrorStore = create<ErrorState>()((set) => ({
  errors: [],
  push: (error) => set((s) => ({ errors: [...s.errors, { id: nextId++, error }].slice(-MAX_SHOWN) })),
  dismiss: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
  clear: () => set({ errors: [] }),
}));

type Listener = (error: ErrorData) => void;
const unauthenticatedListeners = new Set<Listener>();

/**
 * The auth feature registers here so that an UNAUTHENTICATED answer from any call (the main
 * process ended the session: idle, disabled, restarted) sends the person back to login,
 * without the features importing each other.
 */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** One way to surface a failed call. */
export function reportError(error: ErrorData): void {
  if (error.code === 'UNAUTHENTICATED' && unauthenticatedListeners.size > 0) {
    for (const listener of unauthenticatedListeners) listener(error);
    return;
  }
  useErrorStore.getState().push(error);
}
