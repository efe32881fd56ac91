import { useTranslation } from 'react-i18next';
import { BackupButton } from './BackupButton';
import { useBackupStore } from './backup-store';
import { DrillCard } from './DrillCard';
import { HealthSummary, StorageHealth } from './HealthPanel';
import { RunCard } from './RunCard';

/** The ops dashboard: health and its reasons, Run now with progress, the restore drill, storage health. */
export function OverviewPanel() {
  const { t } = useTranslation();
  const health = useBackupStore((s) => s.health);
  return (
    <section className="panel backup-overview" data-testid="backup-overview">
      <div className="toolbar">
        <BackupButton id="backup.refresh" testId="backup-refresh">
          {t('common.refresh')}
        </BackupButton>
      </div>
      {health && <HealthSummary health={health} />}
      <div className="backup-columns">
        <RunCard />
        <DrillCard />
      </div>
      {health && <StorageHealth health={health} />}
    </section>
  );
}
