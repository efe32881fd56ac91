import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { BackupButton } from './BackupButton';
import { useBackupStore } from './backup-store';
import { useFormat } from './useFormat';

const baseName = (p: string) => p.split(/[\\/]/).filter(Boolean).pop() ?? p;

/** Verify: re-hashes the backup selected in the history against its manifest. */
export function VerifyCard() {
  const { t } = useTranslation();
  const f = useFormat();
  const selected = useBackupStore((s) => s.selected);
  const verify = useBackupStore((s) => s.verify);
  return (
    <div className="backup-verify" data-testid="backup-verify">
      <div className="toolbar">
        <span className="muted" data-testid="backup-selected">
          {selected ? t('backup.verify.selected', { id: baseName(selected) }) : t('backup.verify.selectFirst')}
        </span>
        <BackupButton id="backup.verify" testId="backup-verify-run">
          {verify.busy ? `${t('backup.run.verify')}…` : undefined}
        </BackupButton>
      </div>
      {verify.result && verify.path && (
        <div className={`notice ${verify.result.ok ? 'notice-ok' : 'notice-warn'}`} data-testid="backup-verify-result" data-ok={String(verify.result.ok)} role="status">
          {verify.result.ok
            ? t('backup.verify.ok', { id: baseName(verify.path), files: verify.result.files, size: f.bytes(verify.result.bytes) })
            : t('backup.verify.failed', { id: baseName(verify.path), count: verify.result.problems.length })}
          {verify.result.quarantined.length > 0 && (
            <p className="backup-small" data-testid="backup-verify-quarantined">
              {t('backup.verify.quarantined', { count: verify.result.quarantined.length })}
            </p>
          )}
          {!verify.result.ok && (
            <ul className="backup-small">
              {verify.result.problems.slice(0, 20).map((p, i) => (
                <li key={i}>{p.path ? `${p.path}: ${p.problem}` : p.problem}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {verify.error && <ErrorBanner error={verify.error} testId="backup-verify-error" onDismiss={() => useBackupStore.setState({ verify: { ...verify, error: null } })} />}
    </div>
  );
}
