import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunView } from '../../../../../shared/contract';
import { ErrorBanner } from '../../../ui/ErrorBanner';
import { usePlansStore } from '../plans-store';
import { useRunnerStore } from '../runner-store';
import { ProblemReport } from '../runs/ProblemReport';

/**
 * "Run with the registered runner" on a run without results (issue 5 item 8): start, the live
 * log, cancel, and the outcome. Shown to engineers while the run awaits results, and to
 * whoever started it until the module closes (so the log stays readable after the metrics came).
 */
export function RunnerBox({ run, canRun }: { run: RunView; canRun: boolean }) {
  const { t } = useTranslation();
  const job = useRunnerStore((s) => s.jobs[run.id]);
  const runners = usePlansStore((s) => s.runners);
  const runner = runners?.find((r) => r.modelId === run.modelId) ?? null;
  const logRef = useRef<HTMLPreElement>(null);

  useEffect(() => {
    if (canRun && runners === null) void usePlansStore.getState().loadRunners();
  }, [canRun, runners]);

  // Follow the newest output, as a terminal does.
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [job?.log]);

  if (!job && !(canRun && run.status === 'awaiting_results')) return null;
  const running = job?.status === 'running';
  const imported = job?.result?.import ?? null;

  return (
    <section className="card runner-box" data-testid="runner-box" aria-label={t('results.runner.boxTitle')}>
      <div className="toolbar">
        <h3>{t('results.runner.boxTitle')}</h3>
        <div className="button-row">
          {job && (
            <span className={`status-chip runner-status-${job.status}`} data-testid="runner-status" data-status={job.status}>
              {t(`results.runner.statuses.${job.status}`)}
            </span>
          )}
          {canRun && !running && run.status === 'awaiting_results' && (
            <button type="button" className="btn btn-primary" data-testid="runner-start" disabled={!runner} onClick={() => void useRunnerStore.getState().start(run.id)}>
              {t(job ? 'results.runner.startAgain' : 'results.runner.start')}
            </button>
          )}
          {running && (
            <button type="button" className="btn btn-danger" data-testid="runner-cancel" disabled={job.cancelling} onClick={() => void useRunnerStore.getState().cancel(run.id)}>
              {job.cancelling ? t('results.runner.cancelling') : t('results.runner.cancel')}
            </button>
          )}
        </div>
      </div>
      {!job && runners !== null && !runner && (
        <p className="muted" data-testid="runner-none">
          {t('results.runner.noneRegistered', { model: run.modelName })}
        </p>
      )}
      {!job && runner && <p className="muted">{t('results.runner.willRun', { timeout: runner.timeoutSeconds })}</p>}
      {job?.error && <ErrorBanner error={job.error} testId="runner-error" />}
      {job && (
        <pre ref={logRef} className="runner-log mono" data-testid="runner-log" aria-live="polite">
          {job.log.map((c, i) => (
            <span key={i} className={`log-${c.stream}`}>
              {c.text}
            </span>
          ))}
          {running && job.log.length === 0 && <span className="log-system">{t('results.runner.waiting')}</span>}
        </pre>
      )}
      {imported?.imported && (
        <p className="notice notice-ok" data-testid="runner-imported">
          {t('results.runner.imported', { accepted: imported.report.rowsAccepted, total: imported.report.rowsTotal })}
        </p>
      )}
      {imported && !imported.imported && (
        <div data-testid="runner-refused">
          <p className="notice notice-warn">{t('results.runner.refused')}</p>
          <ProblemReport report={imported.report} />
        </div>
      )}
      {job && job.result && job.status !== 'done' && (
        <p className="notice notice-warn" data-testid="runner-ended">
          {t('results.runner.ended', { status: t(`results.runner.statuses.${job.status}`), code: job.result.exitCode ?? '—' })}
        </p>
      )}
    </section>
  );
}
