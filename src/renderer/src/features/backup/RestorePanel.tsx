import { useTranslation } from 'react-i18next';
import { useBackupStore } from './backup-store';

/**
 * How to restore: only the CLI path, with the app closed. Restoring over the live workspace is
 * deliberately not offered (src/shared/contract/backup.ts): it would overwrite the data it
 * protects while people work on it.
 */
export function RestorePanel() {
  const { t } = useTranslation();
  const selected = useBackupStore((s) => s.selected);
  const backup = selected ?? 'PATH';
  // Quoted for a POSIX shell when the path needs it; the placeholder stays bare.
  const quoted = selected && /[^\w@%+=:,./-]/.test(selected) ? `'${selected.replace(/'/g, `'\\''`)}'` : backup;
  return (
    <section className="panel backup-restore" data-testid="backup-restore">
      <div className="card narrow-wide">
        <h3>{t('backup.restore.title')}</h3>
        <p>{t('backup.restore.intro')}</p>
        <ol className="backup-steps">
          <li>{t('backup.restore.step1')}</li>
          <li>{t('backup.restore.step2')}</li>
          <li>
            {t('backup.restore.step3')}
            <pre className="backup-command backup-mono" data-testid="backup-restore-command" aria-label={t('backup.restore.command')}>
              {`midc restore --backup ${quoted} --workspace EMPTY_DIR`}
            </pre>
          </li>
          <li>{t('backup.restore.step4')}</li>
          <li>{t('backup.restore.step5')}</li>
        </ol>
        {selected && (
          <p className="muted backup-small backup-mono" data-testid="backup-restore-selected">
            {t('backup.restore.selectedBackup', { path: selected })}
          </p>
        )}
        <p className="hint">{t('backup.restore.drillHint')}</p>
      </div>
    </section>
  );
}
