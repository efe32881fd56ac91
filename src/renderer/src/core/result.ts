import type { ErrorData, Result } from '../../../shared/errors';
import { reportError } from './error-store';

/**
 * Unwraps a call's result: the value, or `undefined` after the error has been reported
 * (toast, or back to login for UNAUTHENTICATED).
 */
export function valueOrReport<T>(result: Result<T>): T | undefined {
  if (result.ok) return result.value;
  reportError(result.error);
  return undefined;
}

/** A transport that throws (host gone, binding closed) becomes an INTERNAL error, never an exception in React. */
export async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (err) {
    const error: ErrorData = { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
    return { ok: false, error };
  }
}
