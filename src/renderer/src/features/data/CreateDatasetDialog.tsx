import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetSummary } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { runCommand } from '../shell/commands';
import { useBrowserStore, type Scope } from './browser-store';
import { Dialog } from './Dialog';
import { ScopeChoice } from './ScopeChoice';

interface Props {
  readonly selectionCount: number;
  readonly filterCount: number;
  readonly onClose: () => void;
}

/** A new to-label dataset (version 1) from the checked rows or the applied filter. */
export function CreateDatasetDialog({ selectionCount, filterCount, onClose }: Props) {
  const { t } = useTranslation();
  const [scope, setScope] = useState<Scope>(selectionCount > 0 ? 'selection' : 'filter');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorData | null>(null);
  const [created, setCreated] = useState<DatasetSummary | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const outcome = await useBrowserStore.getState().createDataset(scope, name, description);
    setBusy(false);
    if (outcome.ok) setCreated(outcome.value);
    else setError(outcome.error);
  };

  return (
    <Dialog title={t('data.dataset.title')} onClose={onClose} testId="dataset-dialog">
      {created ? (
        <div className="form">
          <p className="notice notice-ok" role="status" data-testid="dataset-done">
            {t('data.dataset.created', { name: created.name, count: created.imageCount })}
          </p>
          <div className="button-row">
            <button type="button" className="btn btn-primary" data-testid="dataset-close" onClick={onClose}>
              {t('data.dialog.close')}
            </button>
            <button type="button" className="btn" data-testid="dataset-open-datasets" onClick={() => runCommand('navigate.datasets')}>
              {t('data.dataset.openDatasets')}
            </button>
          </div>
        </div>
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)}>
          <p className="muted">{t('data.dataset.intro')}</p>
          <ScopeChoice value={scope} onChange={setScope} selectionCount={selectionCount} filterCount={filterCount} testIdPrefix="dataset" />
          <label className="field">
            <span>{t('data.dataset.name')}</span>
            <input data-testid="dataset-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('data.dataset.description')}</span>
            <input data-testid="dataset-description" maxLength={10_000} value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
          {error && <ErrorBanner error={error} testId="dataset-error" onDismiss={() => setError(null)} />}
          <div className="button-row">
            <button
              type="submit"
              className="btn btn-primary"
              data-testid="dataset-submit"
              disabled={busy || (scope === 'selection' ? selectionCount : filterCount) === 0}
            >
              {busy ? t('data.dataset.creating') : t('data.dataset.create')}
            </button>
            <button type="button" className="btn" onClick={onClose}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
