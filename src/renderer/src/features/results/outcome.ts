import { useCallback, useState } from 'react';
import type { ErrorData, Result } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';

/** The outcome of a form action: the error to show beside the form, or success. */
export type ActionOutcome = { readonly ok: true } | { readonly ok: false; readonly error: ErrorData | null };

export const outcomeOf = (result: Result<unknown>): ActionOutcome => (result.ok ? { ok: true } : { ok: false, error: inlineError(result) });

/**
 * Busy flag, inline error and success notice of one form or button row: the database's refusal
 * (CONFLICT "a numeric range can only be widened", ...) is shown as it came, beside the form.
 */
export function useFormAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorData | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<ActionOutcome>, doneMessage: string): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setDone(null);
    const outcome = await action();
    setBusy(false);
    if (outcome.ok) setDone(doneMessage);
    else setError(outcome.error);
    return outcome.ok;
  }, []);
  const clear = useCallback(() => {
    setError(null);
    setDone(null);
  }, []);
  return { busy, error, done, run, clear, setError };
}
