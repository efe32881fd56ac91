import { useErrorStore } from '../core/error-store';
import { ErrorBanner } from './ErrorBanner';

/** Errors of background calls, stacked in a corner until dismissed. */
export function ErrorToasts() {
  const errors = useErrorStore((s) => s.errors);
  const dismiss = useErrorStore((s) => s.dismiss);
  if (errors.length === 0) return null;
  return (
    <div className="toasts" aria-live="assertive">
      {errors.map(({ id, error }) => (
        <ErrorBanner key={id} error={error} onDismiss={() => dismiss(id)} testId="error-toast" />
      ))}
    </div>
  );
}
