import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorData } from '../../../../shared/errors';
import { ErrorBanner } from '../../ui/ErrorBanner';

interface Props {
  readonly title: string;
  readonly testId: string;
  onConfirm(reason: string): Promise<{ ok: boolean; error: ErrorData | null }>;
  onCancel(): void;
}

/** A mandatory reason (return, reject): the confirm button stays off until one is written. */
export function ReasonForm({ title, testId, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorData | null>(null);
  const valid = reason.trim().length >= 3;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    const outcome = await onConfirm(reason.trim());
    setBusy(false);
    if (!outcome.ok) setError(outcome.error);
  };

  return (
    <form className="form card reason-form" data-testid={testId} onSubmit={(e) => void submit(e)}>
      <h3>{title}</h3>
      <label className="field">
        <span>{t('workspace.reason.label')}</span>
        <textarea
          data-testid={`${testId}-input`}
          value={reason}
          placeholder={t('workspace.reason.placeholder')}
          rows={3}
          autoFocus
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      {!valid && reason.length > 0 && <p className="muted">{t('workspace.reason.tooShort')}</p>}
      {error && <ErrorBanner error={error} />}
      <div className="button-row">
        <button type="submit" className="btn btn-danger" disabled={!valid || busy} data-testid={`${testId}-confirm`}>
          {t('workspace.actions.confirm')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('workspace.actions.cancel')}
        </button>
      </div>
    </form>
  );
}
