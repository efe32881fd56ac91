import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuantMatrixView } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { useQuantStore } from './quant-store';

/** The test standards a matrix is linked to; link / unlink (audited in main) and disable. */
export function LinksPanel({ matrix, canEdit }: { readonly matrix: QuantMatrixView; readonly canEdit: boolean }) {
  const { t } = useTranslation();
  const standards = useQuantStore((s) => s.standards);
  const link = useQuantStore((s) => s.link);
  const unlink = useQuantStore((s) => s.unlink);
  const disable = useQuantStore((s) => s.disable);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<ErrorData | null>(null);
  const active = matrix.status === 'active';
  const linked = new Set(matrix.links.map((l) => l.standardId));
  const available = standards.filter((s) => !s.disabled && !linked.has(s.id));

  const run = async (action: () => Promise<{ ok: boolean; error?: ErrorData | null }>) => {
    setError(null);
    const outcome = await action();
    if (!outcome.ok) setError(outcome.error ?? null);
  };

  return (
    <section className="card quant-links" data-testid="quant-links">
      <h3>{t('quant.links.title')}</h3>
      {matrix.links.length === 0 ? (
        <p className="muted" data-testid="quant-links-none">
          {t('quant.links.none')}
        </p>
      ) : (
        <ul className="quant-link-list">
          {matrix.links.map((l) => (
            <li key={l.standardId} data-testid={`quant-link-${l.standardId}`}>
              <span>{l.standardName}</span>
              {canEdit && (
                <button type="button" className="btn btn-ghost" data-testid={`quant-unlink-${l.standardId}`} onClick={() => void run(() => unlink(matrix.id, l.standardId))}>
                  {t('quant.links.unlink')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && active && (
        <div className="form-inline">
          <label className="field">
            <span>{t('quant.links.choose')}</span>
            <select data-testid="quant-link-standard" value={choice} onChange={(e) => setChoice(e.target.value)}>
              <option value="">{t('quant.links.pick')}</option>
              {available.map((s) => (
                <option key={s.id} value={String(s.id)}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn"
            data-testid="quant-link"
            disabled={choice === ''}
            onClick={() =>
              void run(async () => {
                const outcome = await link(matrix.id, Number(choice));
                if (outcome.ok) setChoice('');
                return outcome;
              })
            }
          >
            {t('quant.links.link')}
          </button>
          <button type="button" className="btn btn-danger" data-testid="quant-disable" onClick={() => void run(() => disable(matrix.id))}>
            {t('quant.editor.disable')}
          </button>
        </div>
      )}
      {error && <ErrorBanner error={error} testId="quant-link-error" onDismiss={() => setError(null)} />}
    </section>
  );
}
