import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { BackupButton } from './BackupButton';
import { runWasCancelled, useBackupStore } from './backup-store';
import { useFormat } from './useFormat';

/** Run now into the chosen destination, its progress (from onBackupProgress), Cancel, the outcome. */
export function RunCard() {
  const { t } = useTranslation();
  const f = useFormat();
  const destinations = useBackupStore((s) => s.config?.config.destinations ?? null);
  const destination = useBackupStore((s) => s.destination);
  const run = useBackupStore((s) => s.run);
  const status = useBackupStore((s) => s.status);
  const { selectDestination, dismissRun } = useBackupStore.getState();
  const p = run.progress;
  // A run this window did not start (a schedule, another window) is shown from backup:status.
  const other = run.phase !== 'running' ? status?.running : null;

  return (
    <div className="card backup-run" data-testid="backup-run">
      <h3>{t('backup.run.title')}</h3>
      {destinations && destinations.length === 0 ? (
        <p className="muted" data-testid="backup-no-destinations">
          {t('backup.run.noDestinations')}
        </p>
      ) : (
        <div className="form-inline">
          <label className="field">
            <span>{t('backup.run.destination')}</span>
            <select data-testid="backup-run-destination" value={destination ?? ''} disabled={run.phase === 'running'} onChange={(e) => selectDestination(e.target.value)}>
              {destinations?.map((d) => (
                <option key={d.path} value={d.path}>
                  {d.label ? `${d.label} — ${d.path}` : d.path}
                </option>
              ))}
            </select>
          </label>
          <BackupButton id="backup.runNow" className="btn btn-primary" testId="backup-run-now" />
          <BackupButton id="backup.cancel" className="btn btn-danger" testId="backup-cancel">
            {run.cancelling ? t('backup.run.cancelling') : undefined}
          </BackupButton>
        </div>
      )}
      {other && (
        <p className="notice notice-info" data-testid="backup-running-elsewhere">
          {t('backup.run.runningElsewhere', { destination: other.destination, trigger: t(other.trigger === 'manual' ? 'backup.run.triggerManual' : 'backup.run.triggerSchedule') })}
          {status && status.queued.length > 0 && ` ${t('backup.run.queued', { count: status.queued.length })}`}
        </p>
      )}
      {run.phase === 'running' && (
        <div className="backup-progress" data-testid="backup-progress" data-phase={p?.phase ?? ''}>
          <progress className="backup-bar" data-testid="backup-bar" value={p?.done ?? 0} max={Math.max(p?.total ?? 0, 1)} aria-label={t('backup.run.progressLabel')} />
          <span data-testid="backup-phase">{p ? t(`backup.run.phase.${p.phase}`) : t('backup.run.phase.queued')}</span>
          {p && p.total > 0 && <span data-testid="backup-progress-count">{t('backup.run.doneOfTotal', { done: p.done, total: p.total })}</span>}
          {p && p.bytes > 0 && <span className="muted">{f.bytes(p.bytes)}</span>}
        </div>
      )}
      {run.phase === 'done' && run.result && (
        <div className={`notice ${run.result.verification.ok ? 'notice-ok' : 'notice-warn'}`} data-testid="backup-run-done" role="status">
          {t('backup.run.done', {
            id: run.result.id,
            files: run.result.files,
            size: f.bytes(run.result.bytes),
            duration: f.duration(run.result.durationMs),
            copied: run.result.copied,
            linked: run.result.linked,
            verification: run.result.verification.ok
              ? t('backup.run.verificationOk')
              : t('backup.run.verificationFailed', { problems: run.result.verification.problems }),
          })}
          {run.result.pruned.length > 0 && ` ${t('backup.run.pruned', { count: run.result.pruned.length })}`}
          {run.result.warnings.map((w) => (
            <div key={w} className="backup-small">
              {w}
            </div>
          ))}
        </div>
      )}
      {run.phase === 'failed' && run.error && (
        runWasCancelled(run) ? (
          <p className="notice notice-warn" data-testid="backup-run-cancelled" role="status">
            {run.error.message}
          </p>
        ) : (
          <ErrorBanner error={run.error} testId="backup-run-error" onDismiss={dismissRun} />
        )
      )}
    </div>
  );
}
