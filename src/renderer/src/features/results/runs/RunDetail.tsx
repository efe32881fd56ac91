import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { DrillCell, RunView } from '../../../../../shared/contract';
import { formatDateTime } from '../../../ui/format';
import { ClassBars, type BarMetric } from '../charts/ClassBars';
import { ConfusionHeatmap } from '../charts/ConfusionHeatmap';
import { PrCurves } from '../charts/PrCurves';
import { formatFigure } from '../compare-rules';
import { confusionDrill } from '../drill-cells';
import { useDrillStore } from '../drill-store';
import { drillTitle } from '../labels';
import { standardRule } from '../registries/StandardsSection';
import { RunnerBox } from '../runner/RunnerBox';
import { ReportLink } from './ReportLink';
import { RunCurvesPanel } from './RunCurvesPanel';
import { RunResultsGrid } from './RunResultsGrid';
import { SlicesPanel } from './SlicesPanel';
import { StaleNotice } from './StaleNotice';

interface Props {
  readonly run: RunView;
  readonly canImport: boolean;
  readonly onImport: () => void;
}

/** One run: status, snapshot, warnings, standards, the results grid and the charts. */
export function RunDetail({ run, canImport, onImport }: Props) {
  const { t, i18n } = useTranslation();
  const openDrill = useDrillStore((s) => s.openDrill);
  const drill = useCallback(
    (cell: DrillCell) => void openDrill(run.id, cell, drillTitle(t, cell, run.name), [run.id], 'drill'),
    [openDrill, run.id, run.name, t],
  );
  const metrics = run.metrics;
  const barMetrics: BarMetric[] = metrics?.task === 'classification' ? ['precision', 'recall', 'f1', 'specificity'] : ['precision', 'recall', 'f1'];

  return (
    <section className="run-detail panel-fill" data-testid="run-detail" data-run-id={run.id}>
      <div className="toolbar">
        <div>
          <h2 className="run-title" data-testid="run-title">
            {run.name}
          </h2>
          <p className="muted">
            {t('results.runs.subtitle', {
              model: run.modelName,
              dataset: run.datasetName,
              version: run.datasetVersion,
              task: t(`results.task.${run.task}`),
              time: formatDateTime(run.createdAt, i18n.language),
            })}
          </p>
        </div>
        <div className="button-row">
          <span className={`status-chip status-${run.status}`} data-testid="run-status">
            {t(`results.runs.statuses.${run.status}`)}
          </span>
          {metrics && <ReportLink runId={run.id} />}
          {canImport && (
            <button type="button" className="btn" data-testid="run-import-results" onClick={onImport}>
              {t('results.runs.importResults')}
            </button>
          )}
        </div>
      </div>

      <RunnerBox run={run} canRun={canImport} />
      {run.stale && <StaleNotice stale={run.stale} />}
      {run.snapshot && !run.stale && (
        <p className="muted snapshot-line" data-testid="run-snapshot" title={run.snapshot.hash}>
          {t('results.runs.snapshot', { seq: run.snapshot.seq, reason: run.snapshot.reason, time: formatDateTime(run.snapshot.createdAt, i18n.language) })}
        </p>
      )}
      {run.warnings.length > 0 && (
        <div className="notice notice-warn" data-testid="run-warnings">
          <strong>{t('results.runs.warnings')}</strong>
          <ul>
            {run.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {run.leakageConfirmed && (
        <p className="notice notice-warn" data-testid="run-leakage-confirmed">
          {t('results.runs.leakageConfirmed', { count: run.leakage?.testImageIds.length ?? 0 })}
        </p>
      )}
      <p className="muted" data-testid="run-coverage">
        {t('results.runs.coverage', { evaluated: run.coverage.evaluated, missing: run.coverage.withoutGroundTruth })}
        {run.lastImport &&
          ` · ${t('results.runs.lastImport', {
            file: run.lastImport.file,
            accepted: run.lastImport.rowsAccepted,
            total: run.lastImport.rowsTotal,
            time: formatDateTime(run.lastImport.importedAt, i18n.language),
          })}`}
      </p>

      {run.standards.length > 0 && (
        <div className="standards-results" data-testid="run-standards">
          <h3>{t('results.standards.title')}</h3>
          <ul className="standard-chips">
            {run.standards.map((s) => (
              <li
                key={s.standardId}
                className={`standard-chip ${s.disabled ? 'std-off' : s.pass === null ? 'std-unknown' : s.pass ? 'std-pass' : 'std-fail'}`}
                data-testid={`run-standard-${s.standardId}`}
                data-pass={s.pass === null ? 'unknown' : String(s.pass)}
                title={s.note ?? standardRule(s, (m) => t(`results.metric.${m}`))}
              >
                <span className="std-mark" aria-hidden="true">
                  {s.disabled ? '–' : s.pass === null ? '?' : s.pass ? '✓' : '✗'}
                </span>
                <span>{s.name}</span>
                <span className="muted">
                  {formatFigure(s.value, s.metric)} {s.comparison === '>=' ? '≥' : '≤'} {s.threshold}
                </span>
                <span className="sr-only">{t(s.disabled ? 'results.standards.disabled' : s.pass === null ? 'results.standards.noValue' : s.pass ? 'results.standards.pass' : 'results.standards.fail')}</span>
              </li>
            ))}
          </ul>
        </div>
      )}

      {metrics && metrics.quant.length > 0 && (
        <p data-testid="run-quant">
          {metrics.quant.map((q) => (
            <span key={q.matrixId} className="quant-score">
              {t('results.runs.quantScore', { name: q.name, version: q.version, score: formatFigure(q.score, 'quant') })}
            </span>
          ))}
        </p>
      )}

      {metrics ? (
        <>
          <RunResultsGrid run={{ ...run, metrics }} onDrill={drill} />
          <div className="charts">
            {metrics.task === 'classification' && (
              <ConfusionHeatmap classes={metrics.classes} confusion={metrics.confusion} onCell={(truth, predicted) => drill(confusionDrill(truth, predicted))} />
            )}
            <ClassBars
              classes={metrics.classes}
              values={metrics.perClass}
              metrics={barMetrics}
              onBar={(className, metric) => drill({ metric, className })}
            />
            {metrics.task === 'detection' && (
              <PrCurves curves={metrics.prCurves} onPoint={(className, score) => drill({ metric: 'threshold', className, minScore: score })} />
            )}
            {metrics.task === 'classification' && (
              <RunCurvesPanel
                runId={run.id}
                snapshotHash={run.snapshot?.hash ?? null}
                onPoint={(className, point) => drill({ metric: 'threshold', className, minScore: point.cut === 'all' ? null : point.threshold })}
              />
            )}
          </div>
          <h3>{t('results.slices.title')}</h3>
          <SlicesPanel runId={run.id} runIds={[run.id]} />
        </>
      ) : (
        <p className="notice notice-info" data-testid="run-no-results">
          {t('results.runs.noResults')}
        </p>
      )}
    </section>
  );
}
