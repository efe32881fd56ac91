import { useTranslation } from 'react-i18next';
import type { ImportProgressView } from '../../../../shared/contract';

/** The live counts of a running (or finished) import, then those of its thumbnails. */
export function ImportProgress({ progress }: { progress: ImportProgressView | null }) {
  const { t } = useTranslation();
  const p = progress ?? { total: 0, done: 0, imported: 0, duplicates: 0, quarantined: 0 };
  return (
    <div className="import-progress" data-testid="import-progress">
      <progress
        className="import-bar"
        data-testid="import-bar"
        value={p.done}
        max={Math.max(p.total, 1)}
        aria-label={t('data.import.progressLabel')}
      />
      <div className="import-counts">
        <span data-testid="import-count-done">{progress ? t('data.import.doneOfTotal', { done: p.done, total: p.total }) : t('data.import.starting')}</span>
        <span className="count count-ok">
          {t('data.import.imported')}: <strong data-testid="import-count-imported">{p.imported}</strong>
        </span>
        <span className="count">
          {t('data.import.duplicates')}: <strong data-testid="import-count-duplicates">{p.duplicates}</strong>
        </span>
        <span className="count count-bad">
          {t('data.import.quarantined')}: <strong data-testid="import-count-quarantined">{p.quarantined}</strong>
        </span>
        <span className="count">
          {t('data.import.total')}: <strong data-testid="import-count-total">{p.total}</strong>
        </span>
      </div>
      {progress?.pixels && (
        <div className="import-pixels" data-testid="import-pixels">
          <progress className="import-bar" value={progress.pixels.done} max={Math.max(progress.pixels.total, 1)} aria-label={t('data.import.pixelsLabel')} />
          <span data-testid="import-pixels-count">{t('data.import.pixels', { done: progress.pixels.done, total: progress.pixels.total })}</span>
        </div>
      )}
    </div>
  );
}
