import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BACKUP_TABS, clearBackupOnSessionChange, useBackupStore, type BackupTab } from './backup-store';
import { HistoryPanel } from './HistoryPanel';
import { OverviewPanel } from './OverviewPanel';
import { RestorePanel } from './RestorePanel';
import { SettingsPanel } from './SettingsForm';
import './backup.css';

// Installed when the module is first loaded (the shell imports it at start), before anyone logs in.
clearBackupOnSessionChange();

const PANELS: Record<BackupTab, () => React.JSX.Element> = {
  overview: OverviewPanel,
  settings: SettingsPanel,
  history: HistoryPanel,
  restore: RestorePanel,
};

/** Backups for ops (DESIGN §5, issue 8): health, settings, history, run / verify / drill, how to restore. */
export function BackupModule() {
  const { t } = useTranslation();
  const tab = useBackupStore((s) => s.tab);
  const setTab = useBackupStore((s) => s.setTab);
  const Panel = PANELS[tab];

  useEffect(() => {
    void useBackupStore.getState().loadAll();
  }, []);

  return (
    <section className="module" data-testid="module-backup">
      <div className="tabs" role="tablist">
        {BACKUP_TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`tab${tab === id ? ' active' : ''}`}
            data-testid={`backup-tab-${id}`}
            onClick={() => setTab(id)}
          >
            {t(`backup.tabs.${id}`)}
          </button>
        ))}
      </div>
      <div className="tab-panel">
        <Panel />
      </div>
    </section>
  );
}
