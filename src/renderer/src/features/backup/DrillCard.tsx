import { useTranslation } from 'react-i18next';
import type { RestoreDrillView } from '../../../../shared/contract';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { BackupButton } from './BackupButton';
import { useBackupStore } from './backup-store';
import { useFormat } from './useFormat';

function DrillFigures({ drill }: { drill: RestoreDrillView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const tables = Object.entries(drill.tables).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="backup-drill-result" data-testid="backup-drill-result" data-ok={String(drill.ok)}>
      <p className={`notice ${drill.ok ? 'notice-ok' : 'notice-warn'}`} data-testid="backup-drill-verdict" role="status">
        {t(drill.ok ? 'backup.drill.ok' : 'backup.drill.failed')}
      </p>
      <dl className="backup-facts">
        <dt>{t('backup.drill.backup')}</dt>
        <dd className="backup-mono" data-testid="backup-drill-backup">
          {drill.id}
        </dd>
        <dt>{t('backup.drill.rto')}</dt>
        <dd data-testid="backup-drill-rto">{f.duration(drill.durationMs)}</dd>
        <dt>{t('backup.drill.files')}</dt>
        <dd data-testid="backup-drill-files">{drill.files}</dd>
        <dt>{t('backup.drill.size')}</dt>
        <dd data-testid="backup-drill-size">{f.bytes(drill.bytes)}</dd>
        <dt>{t('backup.drill.blobs')}</dt>
        <dd data-testid="backup-drill-blobs">{drill.blobs}</dd>
        <dt>{t('backup.drill.auditEntries')}</dt>
        <dd data-testid="backup-drill-audit-entries">{drill.auditEntries}</dd>
        <dt>{t('backup.drill.auditHead')}</dt>
        <dd className="backup-mono backup-small" data-testid="backup-drill-audit-head">
          {drill.auditHead ?? ''}
        </dd>
      </dl>
      {tables.length > 0 && (
        <details>
          <summary>{t('backup.drill.tables')}</summary>
          <table className="backup-table" data-testid="backup-drill-tables">
            <thead>
              <tr>
                <th>{t('backup.drill.table')}</th>
                <th>{t('backup.drill.rows')}</th>
              </tr>
            </thead>
            <tbody>
              {tables.map(([name, rows]) => (
                <tr key={name} data-table={name}>
                  <td className="backup-mono">{name}</td>
                  <td>{rows}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {drill.problems.length > 0 && (
        <div className="problems" data-testid="backup-drill-problems">
          <strong>{t('backup.drill.problems')}</strong>
          <ul>
            {drill.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The restore drill: restores the newest backup into a temp folder and shows the figures and the RTO. */
export function DrillCard() {
  const { t } = useTranslation();
  const drill = useBackupStore((s) => s.drill);
  return (
    <div className="card backup-drill" data-testid="backup-drill">
      <h3>{t('backup.drill.title')}</h3>
      <p className="hint">{t('backup.drill.hint')}</p>
      <BackupButton id="backup.drill" testId="backup-drill-run">
        {drill.busy ? `${t('backup.run.drill')}…` : undefined}
      </BackupButton>
      {drill.error && <ErrorBanner error={drill.error} testId="backup-drill-error" onDismiss={() => useBackupStore.setState({ drill: { ...drill, error: null } })} />}
      {drill.result && <DrillFigures drill={drill.result} />}
    </div>
  );
}
