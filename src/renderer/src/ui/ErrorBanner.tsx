import { useTranslation } from 'react-i18next';
import type { ErrorData } from '../../../shared/errors';

interface Props {
  readonly error: ErrorData;
  readonly onDismiss?: (() => void) | undefined;
  readonly testId?: string;
}

/**
 * The one way an error looks: a translated title for its code (the stable set of
 * src/shared/errors.ts) and the server's own message beside it.
 */
export function ErrorBanner({ error, onDismiss, testId = 'error-banner' }: Props) {
  const { t } = useTranslation();
  return (
    <div className={`error-banner error-${error.code.toLowerCase()}`} role="alert" data-testid={testId} data-code={error.code}>
      <div className="error-banner-text">
        <strong className="error-banner-title" data-testid={`${testId}-title`}>
          {t(`errors.${error.code}`)}
        </strong>
        <span className="error-banner-message" data-testid={`${testId}-message`}>
          {error.message || t('errors.unexpected')}
        </span>
      </div>
      {onDismiss && (
        <button type="button" className="btn-icon" onClick={onDismiss} aria-label={t('errors.dismiss')} title={t('errors.dismiss')}>
          ×
        </button>
      )}
    </div>
  );
}
