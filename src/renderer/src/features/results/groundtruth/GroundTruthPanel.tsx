import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetSummary, GroundTruthView, ImportReport, ModelTask } from '../../../../../shared/contract';
import { valueOrReport } from '../../../core/result';
import { ErrorBanner } from '../../../ui/ErrorBanner';
import { formatDateTime } from '../../../ui/format';
import { useAuthStore } from '../../auth/auth-store';
import { outcomeOf, useFormAction } from '../outcome';
import { ProblemReport } from '../runs/ProblemReport';
import { groundTruthApi } from './api';

const PURPOSES = new Set(['training', 'training_test', 'application_test']);

/**
 * The ground-truth import step (issue 5): a dataset's labels from a file on this workstation,
 * checked like predictions (unknown images, duplicates, empty classes, bad boxes), refused
 * with the problem report or imported partially only when the engineer says so.
 */
export function GroundTruthPanel() {
  const { t, i18n } = useTranslation();
  const canImport = useAuthStore((s) => s.session?.roles.includes('algo_engineer') ?? false);
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const [datasetId, setDatasetId] = useState('');
  const [task, setTask] = useState<ModelTask>('classification');
  const [current, setCurrent] = useState<GroundTruthView | null | undefined>(undefined);

  useEffect(() => {
    void groundTruthApi.listDatasets().then((r) => setDatasets((valueOrReport(r) ?? []).filter((d) => PURPOSES.has(d.purpose))));
  }, []);

  const refresh = useCallback(async () => {
    if (!datasetId) return setCurrent(undefined);
    setCurrent(valueOrReport(await groundTruthApi.get({ datasetId: Number(datasetId), task })) ?? null);
  }, [datasetId, task]);
  useEffect(() => void refresh(), [refresh]);

  return (
    <div className="split" data-testid="results-groundtruth">
      <div className="split-main panel-fill">
        <p className="muted">{t(canImport ? 'groundTruthImport.intro' : 'groundTruthImport.readOnly')}</p>
        <div className="form">
          <label className="field">
            <span>{t('groundTruthImport.dataset')}</span>
            <select data-testid="gt-dataset" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
              <option value="" />
              {(datasets ?? []).map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({t(`results.purpose.${d.purpose}`)})
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('groundTruthImport.task')}</span>
            <select data-testid="gt-task" value={task} onChange={(e) => setTask(e.target.value === 'detection' ? 'detection' : 'classification')}>
              <option value="classification">{t('results.task.classification')}</option>
              <option value="detection">{t('results.task.detection')}</option>
            </select>
          </label>
        </div>
        {datasetId && current !== undefined && (
          <section className="card" data-testid="gt-current">
            <h4>{t('groundTruthImport.current')}</h4>
            {current === null ? (
              <p className="muted">{t('groundTruthImport.none', { task: t(`results.task.${task}`) })}</p>
            ) : (
              <p data-testid="gt-summary">
                {t('groundTruthImport.summary', {
                  file: current.sourceName,
                  images: current.imageCount,
                  items: current.itemCount,
                  classes: current.classes.join(', '),
                  when: formatDateTime(current.createdAt, i18n.language),
                })}
              </p>
            )}
          </section>
        )}
      </div>
      {canImport && datasetId && (
        <aside className="split-side">
          <ImportForm datasetId={Number(datasetId)} task={task} onImported={() => void refresh()} />
        </aside>
      )}
    </div>
  );
}

function ImportForm({ datasetId, task, onImported }: { datasetId: number; task: ModelTask; onImported: () => void }) {
  const { t } = useTranslation();
  const [path, setPath] = useState('');
  const [mode, setMode] = useState<'replace' | 'merge'>('replace');
  const [refused, setRefused] = useState<ImportReport | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const action = useFormAction();

  const send = async (acceptPartial: boolean) => {
    if (action.busy || !path.trim()) return;
    setRefused(null);
    setDone(null);
    await action.run(async () => {
      const result = await groundTruthApi.import({ datasetId, task, source: { path: path.trim() }, mode, acceptPartial });
      if (result.ok) {
        if (result.value.imported) {
          setDone(result.value.report);
          onImported();
        } else setRefused(result.value.report);
      }
      return outcomeOf(result);
    }, '');
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(false);
  };

  return (
    <form className="form card" data-testid="gt-form" onSubmit={submit}>
      <label className="field">
        <span>{t('groundTruthImport.path')}</span>
        <input data-testid="gt-path" required spellCheck={false} placeholder="/data/labels/ground-truth.csv" value={path} onChange={(e) => setPath(e.target.value)} />
        <small className="hint">{t('groundTruthImport.pathHint')}</small>
      </label>
      <label className="field">
        <span>{t('groundTruthImport.mode')}</span>
        <select data-testid="gt-mode" value={mode} onChange={(e) => setMode(e.target.value === 'merge' ? 'merge' : 'replace')}>
          <option value="replace">{t('groundTruthImport.modes.replace')}</option>
          <option value="merge">{t('groundTruthImport.modes.merge')}</option>
        </select>
      </label>
      {action.error && <ErrorBanner error={action.error} testId="gt-error" onDismiss={action.clear} />}
      {done && (
        <p className="notice notice-ok" role="status" data-testid="gt-imported">
          {t('groundTruthImport.imported', { accepted: done.rowsAccepted, total: done.rowsTotal, file: done.file })}
        </p>
      )}
      {refused && (
        <div className="panel-fill" data-testid="gt-refused">
          <p className="notice notice-warn">{t('groundTruthImport.refused', { count: refused.problems.length, total: refused.rowsTotal })}</p>
          <ProblemReport report={refused} />
          <div className="button-row">
            <button type="button" className="btn btn-danger" data-testid="gt-accept-partial" disabled={action.busy || refused.rowsTotal === 0} onClick={() => void send(true)}>
              {t('groundTruthImport.acceptPartial')}
            </button>
          </div>
          <p className="hint">{t('groundTruthImport.fixHint')}</p>
        </div>
      )}
      <div className="button-row">
        <button type="submit" className="btn btn-primary" data-testid="gt-import" disabled={action.busy}>
          {action.busy ? t('groundTruthImport.importing') : t('groundTruthImport.import')}
        </button>
      </div>
    </form>
  );
}
