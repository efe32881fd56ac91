import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../../ui/ErrorBanner';
import { detailRunOrder, useCompareStore, type DetailMetric } from '../compare-store';
import { useDrillStore } from '../drill-store';
import { useRunsStore } from '../runs-store';
import { MetricOverRuns } from '../charts/MetricOverRuns';
import { compareRowDrill } from '../drill-cells';
import { drillTitle } from '../labels';
import { CompareGrid } from './CompareGrid';
import { DetailTable } from './DetailTable';

/** The comparison of any number of runs against a baseline, and the per-image detail of one metric. */
export function ComparePanel() {
  const { t } = useTranslation();
  const runs = useRunsStore((s) => s.runs);
  const runIds = useCompareStore((s) => s.runIds);
  const baselineId = useCompareStore((s) => s.baselineId);
  const view = useCompareStore((s) => s.view);
  const loading = useCompareStore((s) => s.loading);
  const error = useCompareStore((s) => s.error);
  const detail = useCompareStore((s) => s.detail);
  const detailError = useCompareStore((s) => s.detailError);
  const detailMetric = useCompareStore((s) => s.detailMetric);
  const detailClass = useCompareStore((s) => s.detailClass);
  const statusFilter = useCompareStore((s) => s.statusFilter);
  const openImage = useDrillStore((s) => s.openImage);
  const openDrill = useDrillStore((s) => s.openDrill);
  const contextRunIds = useMemo(() => detailRunOrder(runIds, baselineId), [runIds, baselineId]);
  const classes = useMemo(() => [...new Set((view?.rows ?? []).map((r) => r.className).filter((c): c is string => c !== null))].sort(), [view]);

  useEffect(() => {
    if (!useRunsStore.getState().runs) void useRunsStore.getState().load();
  }, []);

  const toggle = (id: number, on: boolean) => {
    const next = on ? [...runIds, id] : runIds.filter((r) => r !== id);
    useCompareStore.getState().setRuns(next);
  };

  return (
    <section className="panel-fill" data-testid="results-compare">
      <div className="card compare-setup">
        <fieldset className="compare-runs" data-testid="compare-runs">
          <legend>{t('results.compare.runs')}</legend>
          {(runs ?? []).map((r) => (
            <label key={r.id} className="check">
              <input type="checkbox" data-testid={`compare-run-${r.id}`} checked={runIds.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
              {r.name}
              <span className="muted">
                {' '}
                {r.modelName} · {r.datasetName} v{r.datasetVersion}
              </span>
            </label>
          ))}
        </fieldset>
        <div className="results-inline">
          <label className="field">
            <span>{t('results.compare.baseline')}</span>
            <select data-testid="compare-baseline" value={baselineId ?? ''} onChange={(e) => useCompareStore.getState().setBaseline(Number(e.target.value))}>
              {runIds.map((id) => (
                <option key={id} value={id}>
                  {runs?.find((r) => r.id === id)?.name ?? `#${id}`}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-primary" data-testid="compare-go" disabled={runIds.length < 1 || loading} onClick={() => void useCompareStore.getState().compare()}>
            {loading ? t('results.loading') : t('results.compare.go')}
          </button>
        </div>
      </div>
      {error && <ErrorBanner error={error} testId="compare-error" />}
      {view && (
        <>
          {view.runs.some((r) => r.flags.length > 0) && (
            <div className="notice notice-warn" data-testid="compare-flags">
              <strong>{t('results.compare.flagsTitle')}</strong>
              <ul>
                {view.runs
                  .filter((r) => r.flags.length > 0)
                  .map((r) => (
                    <li key={r.id} data-testid={`compare-flags-${r.id}`}>
                      <strong>{r.name}</strong>
                      {r.regenerated && <span className="stale-mark"> {t('results.compare.regenerated')}</span>}: {r.flags.join('; ')}
                    </li>
                  ))}
              </ul>
            </div>
          )}
          <CompareGrid view={view} contextRunIds={contextRunIds} />
          <div className="charts">
            <MetricOverRuns
              view={view}
              canOpen={(run, row) => compareRowDrill(row.metric, row.className) !== null && !run.flags.includes('no results imported yet')}
              onOpen={(run, row) => {
                const cell = compareRowDrill(row.metric, row.className);
                if (cell) void openDrill(run.id, cell, drillTitle(t, cell, run.name), contextRunIds, 'drill');
              }}
            />
          </div>
          <div className="card detail-setup">
            <h3>{t('results.detail.title')}</h3>
            <div className="results-inline">
              <label className="field">
                <span>{t('results.compare.metric')}</span>
                <select
                  data-testid="detail-metric"
                  value={detailMetric}
                  onChange={(e) => useCompareStore.getState().setDetail(e.target.value as DetailMetric, e.target.value === 'accuracy' ? null : (detailClass ?? classes[0] ?? null))}
                >
                  {(['accuracy', 'precision', 'recall'] as const).map((m) => (
                    <option key={m} value={m}>
                      {t(`results.detail.metrics.${m}`)}
                    </option>
                  ))}
                </select>
              </label>
              {detailMetric !== 'accuracy' && (
                <label className="field">
                  <span>{t('results.runs.class')}</span>
                  <select data-testid="detail-class" value={detailClass ?? ''} onChange={(e) => useCompareStore.getState().setDetail(detailMetric, e.target.value)}>
                    {classes.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <button type="button" className="btn" data-testid="detail-go" onClick={() => void useCompareStore.getState().loadDetail()}>
                {t('results.detail.show')}
              </button>
            </div>
            <p className="hint">{t('results.detail.hint')}</p>
          </div>
          {detailError && <ErrorBanner error={detailError} testId="detail-error" />}
          {detail && (
            <DetailTable
              detail={detail}
              runs={view.runs}
              filter={statusFilter}
              onFilter={(s) => useCompareStore.getState().setStatusFilter(s)}
              onOpenImage={(id) => openImage(id, contextRunIds)}
            />
          )}
        </>
      )}
      {!view && !loading && <p className="muted card">{t('results.compare.hint')}</p>}
    </section>
  );
}
