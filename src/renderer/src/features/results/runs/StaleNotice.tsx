import { useTranslation } from 'react-i18next';
import type { StaleReport } from '../../../../../shared/contract';
import { formatDateTime } from '../../../ui/format';
import { formatFigure } from '../compare-rules';

/** The snapshot no longer matched its inputs: why, and which figures changed from what to what (DESIGN §4.1). */
export function StaleNotice({ stale }: { stale: StaleReport }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="notice notice-warn stale-notice" role="status" data-testid="run-stale">
      <strong>{t('results.stale.title')}</strong>
      <ul data-testid="run-stale-reasons">
        {stale.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      <p className="muted">{t('results.stale.previous', { seq: stale.previous.seq, time: formatDateTime(stale.previous.createdAt, i18n.language) })}</p>
      {stale.changes.length > 0 && (
        <table className="plain-table" data-testid="run-stale-changes">
          <thead>
            <tr>
              <th>{t('results.stale.figure')}</th>
              <th>{t('results.stale.before')}</th>
              <th>{t('results.stale.after')}</th>
            </tr>
          </thead>
          <tbody>
            {stale.changes.map((c) => {
              const metric = c.figure.split('.').pop() ?? c.figure;
              return (
                <tr key={c.figure}>
                  <td>{c.figure}</td>
                  <td>{formatFigure(c.before, metric)}</td>
                  <td>{formatFigure(c.after, metric)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {stale.changedImageIds.length > 0 && <p className="muted">{t('results.stale.changedImages', { count: stale.changedImageIds.length })}</p>}
    </div>
  );
}
