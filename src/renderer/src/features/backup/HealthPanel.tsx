import { useTranslation } from 'react-i18next';
import type { BackupHealthView, RootHealthView } from '../../../../shared/contract';
import { translateReason } from './backup-model';
import { BackupButton } from './BackupButton';
import { useBackupStore } from './backup-store';
import { StatusBadge } from './StatusBadge';
import { useFormat } from './useFormat';

/** The verdict, its reasons, the newest verified backup, the last run and drill. */
export function HealthSummary({ health }: { health: BackupHealthView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const nv = health.newestVerified;
  const checking = useBackupStore((s) => s.integrity);
  return (
    <div className="card backup-health" data-testid="backup-health">
      <div className="backup-health-head">
        <StatusBadge status={health.status} />
        <ul className="backup-reasons" data-testid="backup-reasons">
          {health.reasons.map((r, i) => {
            const tr = translateReason(r, health, f.age);
            return (
              <li key={`${r.key}-${i}`} className={`backup-reason backup-reason-${r.level}`} data-testid="backup-reason" data-key={r.key} data-level={r.level}>
                {'key' in tr ? t(tr.key, tr.params) : tr.text}
              </li>
            );
          })}
        </ul>
      </div>
      <dl className="backup-facts">
        <dt>{t('backup.overview.newestVerified')}</dt>
        <dd data-testid="backup-newest-verified">
          {nv ? t('backup.overview.newestVerifiedValue', { id: nv.id, age: f.age(nv.ageHours), verifiedAt: f.dateTime(nv.verifiedAt) }) : t('backup.overview.noneVerified')}
        </dd>
        <dt>{t('backup.overview.limit')}</dt>
        <dd data-testid="backup-limit">{t('backup.units.hours', { value: health.limitHours })}</dd>
        <dt>{t('backup.overview.lastRun')}</dt>
        <dd data-testid="backup-last-run">
          {health.lastRun
            ? t(health.lastRun.ok ? 'backup.overview.lastRunOk' : 'backup.overview.lastRunFailed', { at: f.dateTime(health.lastRun.at) })
            : t('common.never')}
        </dd>
        <dt>{t('backup.overview.lastDrill')}</dt>
        <dd data-testid="backup-last-drill">
          {health.lastDrill
            ? t('backup.overview.lastDrillValue', {
                result: t(health.lastDrill.ok ? 'backup.overview.ok' : 'backup.overview.failed'),
                at: f.dateTime(health.lastDrill.at),
                duration: f.duration(health.lastDrill.durationMs),
              })
            : t('common.never')}
        </dd>
        <dt>{t('backup.overview.integrity')}</dt>
        <dd data-testid="backup-integrity" data-ok={health.integrity ? String(health.integrity.ok) : undefined} className={health.integrity && !health.integrity.ok ? 'backup-root-error' : ''}>
          {health.integrity
            ? t('backup.overview.integrityValue', {
                result: t(health.integrity.ok ? 'backup.overview.ok' : 'backup.overview.failed'),
                at: f.dateTime(health.integrity.at),
                duration: f.duration(health.integrity.durationMs),
              })
            : t('common.never')}
        </dd>
        <dt>{t('backup.overview.nextChecks')}</dt>
        <dd data-testid="backup-next-checks">
          {t('backup.overview.nextChecksValue', {
            integrity: health.nextChecks.integrity ? f.dateTime(health.nextChecks.integrity) : t('backup.overview.off'),
            verify: health.nextChecks.verify ? f.dateTime(health.nextChecks.verify) : t('backup.overview.off'),
          })}
        </dd>
      </dl>
      <div className="toolbar">
        <BackupButton id="backup.checkIntegrity" testId="backup-check-integrity">
          {checking.busy ? t('backup.run.checkingIntegrity') : undefined}
        </BackupButton>
        {checking.error && (
          <span className="backup-root-error" role="alert" data-testid="backup-integrity-error">
            {t('backup.overview.integrityError', { message: checking.error.message })}
          </span>
        )}
      </div>
    </div>
  );
}

function RootCells({ root }: { root: RootHealthView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const state = !root.present ? t('backup.overview.notPresent') : !root.writable ? t('backup.overview.notWritable') : t(`backup.overview.root${root.status === 'ok' ? 'Ok' : root.status === 'warning' ? 'Warning' : 'Error'}`);
  return (
    <>
      <td className={`backup-root-${root.status}`} data-testid="root-status" data-status={root.status}>
        {state}
        {root.problems.length > 0 && <div className="muted backup-small">{root.problems.join('; ')}</div>}
      </td>
      <td data-testid="root-free">{root.freeBytes !== null && root.totalBytes !== null ? t('backup.overview.freeValue', { free: f.bytes(root.freeBytes), total: f.bytes(root.totalBytes) }) : ''}</td>
      <td>{root.fsType ?? ''}</td>
      <td data-testid="root-raid" className={root.raid?.degraded ? 'backup-root-error' : ''}>
        {root.raid
          ? `${t('backup.overview.raidValue', { name: root.raid.name, level: root.raid.level ?? '', mask: root.raid.mask ?? '' })}${root.raid.degraded ? ` (${t('backup.overview.raidDegraded')})` : ''}`
          : t('backup.overview.noRaid')}
      </td>
    </>
  );
}

/** Every root the backups depend on: the workspace storage and each destination. */
export function StorageHealth({ health }: { health: BackupHealthView }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="card backup-storage" data-testid="backup-storage">
      <h3>{t('backup.overview.storageTitle')}</h3>
      <table className="backup-table">
        <thead>
          <tr>
            <th>{t('backup.overview.path')}</th>
            <th>{t('backup.overview.rootStatus')}</th>
            <th>{t('backup.overview.free')}</th>
            <th>{t('backup.overview.fsType')}</th>
            <th>{t('backup.overview.raid')}</th>
            <th>{t('backup.overview.removable')}</th>
            <th>{t('backup.overview.backups')}</th>
            <th>{t('backup.overview.newest')}</th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="storage-workspace">
            <td>
              <strong>{t('backup.overview.workspaceStorage')}</strong>
              <div className="muted backup-small backup-mono">{health.storage.path}</div>
            </td>
            <RootCells root={health.storage} />
            <td />
            <td />
            <td />
          </tr>
          {health.destinations.map((d) => (
            <tr key={d.path} data-testid="storage-destination" data-path={d.path}>
              <td>
                {d.label && <strong>{d.label}</strong>}
                <div className="muted backup-small backup-mono">{d.path}</div>
              </td>
              <RootCells root={d.root} />
              <td data-testid="destination-removable">
                {d.removable ? t('common.yes') : t('common.no')}
                {d.detectedRemovable !== null && (
                  <div className="muted backup-small">{t(d.detectedRemovable ? 'backup.overview.removableDetected' : 'backup.overview.removableNotDetected')}</div>
                )}
              </td>
              <td data-testid="destination-backups">{d.backups}</td>
              <td>{f.dateTime(d.newestAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
