import type { ErrorData } from '../../../../../shared/errors';
import { ErrorBanner } from '../../../ui/ErrorBanner';

/** The inline error (the database's refusal, as it came) or the success notice of a form. */
export function FormStatus({ error, done, testId, onDismiss }: { error: ErrorData | null; done: string | null; testId: string; onDismiss: () => void }) {
  return (
    <>
      {error && <ErrorBanner error={error} testId={`${testId}-error`} onDismiss={onDismiss} />}
      {done && (
        <p className="notice notice-ok" role="status" data-testid={`${testId}-done`}>
          {done}
        </p>
      )}
    </>
  );
}
