import { useTranslation } from 'react-i18next';
import type { BackupHealthStatus } from '../../../../shared/contract';

/** The health verdict as a coloured badge. */
export function StatusBadge({ status }: { status: BackupHealthStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`backup-badge backup-badge-${status}`} data-testid="backup-health-badge" data-status={status} role="status" aria-label={t('backup.status.label')}>
      {t(`backup.status.${status}`)}
    </span>
  );
}
