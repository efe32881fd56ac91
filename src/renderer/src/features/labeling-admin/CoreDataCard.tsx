import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoreDataStatusView } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { formatDateTime } from '../../ui/format';
import { useLabelingAdminStore } from './admin-store';

/** "Submit to core data": publishes the dataset's current ground truth to evaluation and the tag flow. */
export function CoreDataCard({ core }: { core: CoreDataStatusView | null }) {
  const { t, i18n } = useTranslation();
  const submit = useLabelingAdminStore((s) => s.submitToCore);
  const [error, setError] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section className="card" data-testid="core-data">
      <h3>{t('labelingAdmin.coreTitle')}</h3>
      <p className="muted">{t('labelingAdmin.coreHelp')}</p>
      <p data-testid="core-status">
        {core
          ? t('labelingAdmin.coreStatus', { images: core.images, gold: core.gold, accepted: core.accepted, at: formatDateTime(core.updatedAt, i18n.language), by: core.updatedBy ?? '—' })
          : t('labelingAdmin.coreNever')}
      </p>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <button
        type="button"
        className="btn btn-primary"
        data-testid="core-submit"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void submit().then((o) => {
            setBusy(false);
            setError(o.error);
          });
        }}
      >
        {t('labelingAdmin.coreSubmit')}
      </button>
    </section>
  );
}
