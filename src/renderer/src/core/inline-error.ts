import type { ErrorData, Result } from '../../../shared/errors';
import { reportError } from './error-store';

/**
 * For form submissions: the error to show beside the form, or null. UNAUTHENTICATED still goes
 * the global way (back to login): there is no form to fix then.
 */
export function inlineError(result: Result<unknown>): ErrorData | null {
  if (result.ok) return null;
  if (result.error.code === 'UNAUTHENTICATED') {
    reportError(result.error);
    return null;
  }
  return result.error;
}
