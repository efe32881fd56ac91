import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuantMatrixView, QuantRankRow, QuantRankView, RunSummary } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { valueOrReport } from '../../core/result';
import { DataGrid } from '../../ui/DataGrid';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { quantApi } from './api';
import { Thumb } from './Thumb';

const LIMIT = 200;
const TILES = 12;
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(Math.round(v * 10_000) / 10_000));

/**
 * For engineers: runs scored with a quantified label, and their images ranked by value across
 * the chosen runs, the most costly first, with thumbnails of the lowest-valued ones.
 */
export function RankingPanel() {
  const { t } = useTranslation();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [matrices, setMatrices] = useState<QuantMatrixView[]>([]);
  const [chosen, setChosen] = useState<number[]>([]);
  const [matrixId, setMatrixId] = useState('');
  const [view, setView] = useState<QuantRankView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorData | null>(null);

  useEffect(() => {
    void (async () => {
      const [r, m] = await Promise.all([quantApi.runs(), quantApi.list()]);
      const list = valueOrReport(r);
      if (list) setRuns(list.filter((x) => x.status === 'computed'));
      const ms = valueOrReport(m);
      if (ms) setMatrices(ms.filter((x) => x.status === 'active'));
    })();
  }, []);

  const rank = async () => {
    if (chosen.length === 0 || matrixId === '') return;
    setBusy(true);
    setError(null);
    const result = await quantApi.rank(chosen, Number(matrixId), LIMIT);
    setBusy(false);
    if (result.ok) setView(result.value);
    else setError(result.error);
  };

  const rescoreUnscored = async () => {
    if (!view) return;
    setBusy(true);
    setError(null);
    for (const r of view.runs.filter((x) => !x.scored)) {
      const result = await quantApi.rescore(r.runId, view.matrix.id);
      if (!result.ok) {
        setError(result.error);
        break;
      }
    }
    setBusy(false);
    await rank();
  };

  const runName = (id: number) => view?.runs.find((r) => r.runId === id)?.name ?? String(id);
  const columns = useMemo<ColDef<QuantRankRow>[]>(() => {
    if (!view) return [];
    return [
      { colId: 'rank', headerName: t('quant.ranking.columns.rank'), valueGetter: (p) => (p.node?.rowIndex ?? 0) + 1, width: 70, sortable: false },
      { colId: 'image', headerName: t('quant.ranking.columns.image'), field: 'imageName', flex: 2 },
      { colId: 'truth', headerName: t('quant.ranking.columns.truth'), valueGetter: (p) => p.data?.trueClass ?? '', flex: 1 },
      { colId: 'mean', headerName: t('quant.ranking.columns.mean'), valueGetter: (p) => p.data?.mean, valueFormatter: (p) => fmt(p.value as number), width: 120 },
      ...view.runs.map(
        (r): ColDef<QuantRankRow> => ({
          colId: `run-${r.runId}`,
          headerName: t('quant.ranking.columns.run', { run: r.name }),
          valueGetter: (p) => p.data?.values[r.runId] ?? null,
          valueFormatter: (p) => {
            const predicted = p.data?.predicted[r.runId];
            return `${fmt(p.value as number | null)}${p.data && p.value !== null && view.runs.length > 0 ? ` (${predicted ?? t('quant.ranking.missed')})` : ''}`;
          },
          flex: 1,
        }),
      ),
    ];
  }, [view, t]);

  if (runs !== null && runs.length === 0) return <p className="muted">{t('quant.ranking.noRuns')}</p>;
  return (
    <div className="quant-ranking" data-testid="quant-ranking">
      <div className="card form">
        <fieldset className="quant-run-choice">
          <legend>{t('quant.ranking.runs')}</legend>
          {(runs ?? []).map((r) => (
            <label key={r.id} className="check">
              <input
                type="checkbox"
                data-testid={`quant-rank-run-${r.id}`}
                checked={chosen.includes(r.id)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, r.id] : chosen.filter((x) => x !== r.id))}
              />
              <span>{r.name}</span>
            </label>
          ))}
        </fieldset>
        <div className="form-inline">
          <label className="field">
            <span>{t('quant.ranking.matrix')}</span>
            <select data-testid="quant-rank-matrix" value={matrixId} onChange={(e) => setMatrixId(e.target.value)}>
              <option value="">{t('quant.ranking.pickMatrix')}</option>
              {matrices.map((m) => (
                <option key={m.id} value={String(m.id)}>{`${m.name} v${m.version}`}</option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-primary" data-testid="quant-rank-go" disabled={busy || chosen.length === 0 || matrixId === ''} onClick={() => void rank()}>
            {t('quant.ranking.rank')}
          </button>
        </div>
      </div>
      {error && <ErrorBanner error={error} testId="quant-rank-error" onDismiss={() => setError(null)} />}
      {view && (
        <>
          <div className="card quant-scores" data-testid="quant-scores">
            <h3>{`${view.matrix.name} v${view.matrix.version}`}</h3>
            <ul>
              {view.runs.map((r) => (
                <li key={r.runId}>
                  <strong>{r.name}</strong>{' '}
                  {r.scored ? (
                    <span className="quant-score" data-testid={`quant-run-score-${r.runId}`}>
                      {fmt(r.score)}
                    </span>
                  ) : (
                    <span className="muted" data-testid={`quant-run-unscored-${r.runId}`}>
                      {t('quant.ranking.notScored')}
                    </span>
                  )}
                </li>
              ))}
            </ul>
            {view.runs.some((r) => !r.scored) && (
              <button type="button" className="btn" data-testid="quant-rescore" disabled={busy} onClick={() => void rescoreUnscored()}>
                {t('quant.ranking.rescore')}
              </button>
            )}
          </div>
          <section className="card" data-testid="quant-lowest">
            <h3>{t('quant.ranking.lowest')}</h3>
            <div className="quant-tiles">
              {view.rows.slice(0, TILES).map((row) => (
                <figure key={row.imageId} className="quant-tile" data-image-id={row.imageId} data-testid={`quant-tile-${row.imageId}`}>
                  <Thumb imageId={row.imageId} alt={row.imageName} />
                  <figcaption>
                    <span className="quant-tile-name">{row.imageName}</span>
                    <span>{t('quant.ranking.value', { value: fmt(row.mean) })}</span>
                    {view.runs.map((r) => (
                      <span key={r.runId} className="muted">
                        {`${runName(r.runId)}: ${fmt(row.values[r.runId])} · ${row.trueClass ?? ''} → ${row.values[r.runId] === null ? '—' : (row.predicted[r.runId] ?? t('quant.ranking.missed'))}`}
                      </span>
                    ))}
                  </figcaption>
                </figure>
              ))}
            </div>
          </section>
          <p className="hint">{t('quant.ranking.total', { shown: view.rows.length, total: view.total })}</p>
          <DataGrid rows={view.rows} columns={columns} rowId={(r) => String(r.imageId)} testId="quant-rank-grid" />
        </>
      )}
    </div>
  );
}
