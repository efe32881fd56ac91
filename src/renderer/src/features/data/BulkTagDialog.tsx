import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorData } from '../../../../shared/errors';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { useBrowserStore, type Scope } from './browser-store';
import { Dialog } from './Dialog';
import { ScopeChoice } from './ScopeChoice';
import { TAG_KEY } from './tags';

interface Props {
  readonly selectionCount: number;
  readonly filterCount: number;
  readonly tagKeys: readonly string[];
  readonly onClose: () => void;
}

type Step = { readonly kind: 'edit' } | { readonly kind: 'confirm' } | { readonly kind: 'done'; readonly updated: number };

/** Sets or removes one source tag on many images: edit, confirm with the count, result. */
export function BulkTagDialog({ selectionCount, filterCount, tagKeys, onClose }: Props) {
  const { t } = useTranslation();
  const [scope, setScope] = useState<Scope>(selectionCount > 0 ? 'selection' : 'filter');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const count = scope === 'selection' ? selectionCount : filterCount;
  const removing = value.trim() === '';

  const review = (e: FormEvent) => {
    e.preventDefault();
    if (!TAG_KEY.test(key.trim())) return setProblem(t('data.badTagKeys', { keys: key.trim() || '""' }));
    if (count === 0) return setProblem(t('data.scope.empty'));
    setProblem(null);
    setStep({ kind: 'confirm' });
  };

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const outcome = await useBrowserStore.getState().setTag(scope, key, value);
    setBusy(false);
    if (outcome.ok) setStep({ kind: 'done', updated: outcome.value.updated });
    else {
      setError(outcome.error);
      setStep({ kind: 'edit' });
    }
  };

  return (
    <Dialog title={t('data.bulk.title')} onClose={onClose} testId="bulk-dialog">
      {step.kind === 'edit' && (
        <form className="form" onSubmit={review}>
          <ScopeChoice value={scope} onChange={setScope} selectionCount={selectionCount} filterCount={filterCount} testIdPrefix="bulk" />
          <datalist id="bulk-keys">
            {tagKeys.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
          <div className="form-row">
            <label className="field">
              <span>{t('data.tagKey')}</span>
              <input data-testid="bulk-key" list="bulk-keys" required value={key} onChange={(e) => setKey(e.target.value)} />
            </label>
            <label className="field">
              <span>{t('data.bulk.newValue')}</span>
              <input data-testid="bulk-value" value={value} onChange={(e) => setValue(e.target.value)} />
            </label>
          </div>
          <small className="hint">{t('data.bulk.emptyRemoves')}</small>
          {problem && (
            <p className="notice notice-warn" role="alert" data-testid="bulk-problem">
              {problem}
            </p>
          )}
          {error && <ErrorBanner error={error} testId="bulk-error" onDismiss={() => setError(null)} />}
          <div className="button-row">
            <button type="submit" className="btn btn-primary" data-testid="bulk-review">
              {t('data.bulk.review')}
            </button>
            <button type="button" className="btn" onClick={onClose}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {step.kind === 'confirm' && (
        <form className="form" onSubmit={(e) => void apply(e)}>
          <p className="notice notice-warn" data-testid="bulk-confirm-text">
            {removing
              ? t('data.bulk.confirmRemove', { count, key: key.trim() })
              : t('data.bulk.confirmSet', { count, key: key.trim(), value: value.trim() })}
          </p>
          <div className="button-row">
            <button type="submit" className="btn btn-primary" data-testid="bulk-confirm" disabled={busy}>
              {busy ? t('common.saving') : t('data.bulk.confirm')}
            </button>
            <button type="button" className="btn" data-testid="bulk-back" disabled={busy} onClick={() => setStep({ kind: 'edit' })}>
              {t('data.bulk.back')}
            </button>
          </div>
        </form>
      )}
      {step.kind === 'done' && (
        <div className="form">
          <p className="notice notice-ok" role="status" data-testid="bulk-done">
            {t('data.bulk.done', { count: step.updated })}
          </p>
          <button type="button" className="btn btn-primary" data-testid="bulk-close" onClick={onClose}>
            {t('data.dialog.close')}
          </button>
        </div>
      )}
    </Dialog>
  );
}
