import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetSummary, ImportReport, LeakageReport, RunView } from '../../../../../shared/contract';
import { ErrorBanner } from '../../../ui/ErrorBanner';
import { resultsApi } from '../api';
import { Modal } from '../common/Modal';
import { outcomeOf, useFormAction } from '../outcome';
import { usePlansStore } from '../plans-store';
import { ParameterInputs, presetValues } from '../registries/PresetsSection';
import { useRegistriesStore } from '../registries-store';
import { typedFromValues } from '../runner-rules';
import { useRunsStore } from '../runs-store';
import { LeakageDialog } from './LeakageDialog';
import { ProblemReport } from './ProblemReport';

type Step = 'run' | 'file' | 'done';

/** A CONFLICT from runs:create that carries the leakage report in its details. */
function leakageOf(details: unknown): LeakageReport | null {
  const d = details as Partial<LeakageReport> | undefined;
  return d && Array.isArray(d.testImageIds) && d.reasons ? (d as LeakageReport) : null;
}

/**
 * Records a test run and imports its predictions (DESIGN §2.3): the run (model, dataset
 * version, parameter values or a preset, standards), the leakage check that must be confirmed
 * when it finds overlaps, then the predictions file by its path on this workstation (the
 * Chromium host has no file dialog) with the problem report when the file is refused.
 */
export function ImportWizard({ initialRunId, onClose }: { initialRunId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>(initialRunId ? 'file' : 'run');
  const [runId, setRunId] = useState<number | null>(initialRunId);
  const [imported, setImported] = useState<{ run: RunView; report: ImportReport } | null>(null);
  const runs = useRunsStore((s) => s.runs);
  const runName = runs?.find((r) => r.id === runId)?.name ?? (runId ? `#${runId}` : '');

  return (
    <Modal title={t('results.wizard.title')} onClose={onClose} testId="import-wizard" wide>
      <ol className="wizard-steps">
        {(['run', 'file', 'done'] as const).map((s) => (
          <li key={s} className={s === step ? 'active' : undefined}>
            {t(`results.wizard.steps.${s}`)}
          </li>
        ))}
      </ol>
      {step === 'run' && (
        <RunStep
          onChosen={(id) => {
            setRunId(id);
            setStep('file');
          }}
        />
      )}
      {step === 'file' && runId !== null && (
        <FileStep
          runId={runId}
          runName={runName}
          onImported={(run, report) => {
            setImported({ run, report });
            useRunsStore.getState().show(run);
            setStep('done');
          }}
        />
      )}
      {step === 'done' && imported && (
        <div className="panel-fill" data-testid="wizard-done">
          <p className="notice notice-ok">
            {t('results.wizard.imported', { run: imported.run.name, accepted: imported.report.rowsAccepted, total: imported.report.rowsTotal })}
          </p>
          {imported.report.problems.length > 0 && <ProblemReport report={imported.report} />}
          <div className="button-row">
            <button type="button" className="btn btn-primary" data-testid="wizard-show" onClick={onClose}>
              {t('results.wizard.showResults')}
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}

function RunStep({ onChosen }: { onChosen: (runId: number) => void }) {
  const { t } = useTranslation();
  const runs = useRunsStore((s) => s.runs);
  const models = useRegistriesStore((s) => s.models);
  const params = useRegistriesStore((s) => s.params);
  const standards = useRegistriesStore((s) => s.standards);
  const presets = useRegistriesStore((s) => s.presets);
  const plans = usePlansStore((s) => s.plans);
  const [datasets, setDatasets] = useState<readonly DatasetSummary[]>([]);
  const awaiting = (runs ?? []).filter((r) => r.status === 'awaiting_results');
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const [existing, setExisting] = useState('');
  const [v, setV] = useState({ name: '', modelId: '', planId: '', datasetId: '', version: '', presetId: '', iou: '0.5', notes: '' });
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [standardIds, setStandardIds] = useState<number[]>([]);
  const [leakage, setLeakage] = useState<LeakageReport | null>(null);
  const action = useFormAction();

  useEffect(() => {
    void useRegistriesStore.getState().loadAll();
    void usePlansStore.getState().loadPlans();
    void resultsApi.listDatasets().then((r) => r.ok && setDatasets(r.value));
  }, []);

  const model = models?.find((m) => String(m.id) === v.modelId) ?? null;
  const dataset = datasets.find((d) => String(d.id) === v.datasetId) ?? null;
  const activeParams = useMemo(() => (params ?? []).filter((p) => !p.disabled), [params]);
  const activeStandards = (standards ?? []).filter((s) => !s.disabled);
  const modelPlans = (plans ?? []).filter((p) => String(p.modelId) === v.modelId);
  const usablePresets = (presets ?? []).filter((p) => !p.disabled && (p.modelId === null || String(p.modelId) === v.modelId));

  const applyPreset = (presetId: string) => {
    setV({ ...v, presetId });
    const preset = presets?.find((p) => String(p.id) === presetId);
    if (preset) setTyped(Object.fromEntries(Object.entries(preset.values).map(([k, val]) => [k, String(val)])));
  };

  // The run of a plan starts from the plan's parameter values (the runner trains with them).
  const applyPlan = (planId: string) => {
    setV({ ...v, planId, presetId: '' });
    const plan = plans?.find((p) => String(p.id) === planId);
    if (plan) setTyped(typedFromValues(plan.parameterValues));
  };

  const request = (confirmLeakage: boolean) => {
    const { values } = presetValues(activeParams, typed);
    const version = v.version.trim() ? Number(v.version) : undefined;
    return {
      name: v.name.trim(),
      modelId: Number(v.modelId),
      planId: v.planId ? Number(v.planId) : null,
      datasetId: Number(v.datasetId),
      ...(version ? { version } : {}),
      parameterValues: values,
      standardIds,
      iou: model?.task === 'detection' && v.iou.trim() ? Number(v.iou) : null,
      notes: v.notes,
      confirmLeakage,
    };
  };

  const create = async (confirmLeakage: boolean) => {
    // Filled inside the action (a closure: TypeScript does not follow assignments there).
    const created: { id: number | null } = { id: null };
    await action.run(async () => {
      const result = await resultsApi.createRun(request(confirmLeakage));
      if (result.ok) created.id = result.value.id;
      // The check ran between our look and the write and found overlaps: show them.
      const report = !result.ok && result.error.code === 'CONFLICT' ? leakageOf(result.error.details) : null;
      if (report) {
        setLeakage(report);
        return { ok: true };
      }
      return outcomeOf(result);
    }, '');
    if (created.id !== null) {
      setLeakage(null);
      void useRunsStore.getState().load();
      onChosen(created.id);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    if (mode === 'existing') {
      if (existing) onChosen(Number(existing));
      return;
    }
    const { bad } = presetValues(activeParams, typed);
    if (bad.length) {
      action.setError({ code: 'VALIDATION', message: t('results.registries.presets.badNumbers', { names: bad.join(', ') }) });
      return;
    }
    // The leakage check first, so that the person sees the overlap before anything is recorded.
    const checked: { report: LeakageReport | null } = { report: null };
    const ok = await action.run(async () => {
      const version = v.version.trim() ? Number(v.version) : undefined;
      const result = await resultsApi.leakageCheck({ modelId: Number(v.modelId), datasetId: Number(v.datasetId), ...(version ? { version } : {}) });
      if (result.ok) checked.report = result.value;
      return outcomeOf(result);
    }, '');
    if (!ok || !checked.report) return;
    if (!checked.report.clean) {
      setLeakage(checked.report);
      return;
    }
    await create(false);
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="wizard-run-form">
      <div className="seg-row" role="radiogroup">
        <label className="check">
          <input type="radio" name="run-mode" checked={mode === 'new'} onChange={() => setMode('new')} data-testid="wizard-mode-new" />
          {t('results.wizard.newRun')}
        </label>
        <label className="check">
          <input type="radio" name="run-mode" checked={mode === 'existing'} onChange={() => setMode('existing')} disabled={!awaiting.length} data-testid="wizard-mode-existing" />
          {t('results.wizard.existingRun', { count: awaiting.length })}
        </label>
      </div>
      {mode === 'existing' ? (
        <label className="field">
          <span>{t('results.wizard.run')}</span>
          <select data-testid="wizard-existing" required value={existing} onChange={(e) => setExisting(e.target.value)}>
            <option value="" />
            {awaiting.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} — {r.modelName}, {r.datasetName} v{r.datasetVersion}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <>
          <div className="form-row">
            <label className="field">
              <span>{t('results.wizard.runName')}</span>
              <input data-testid="wizard-name" required value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />
            </label>
            <label className="field">
              <span>{t('results.wizard.model')}</span>
              <select data-testid="wizard-model" required value={v.modelId} onChange={(e) => setV({ ...v, modelId: e.target.value, planId: '', presetId: '' })}>
                <option value="" />
                {(models ?? []).map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name} ({t(`results.task.${m.task}`)})
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="form-row">
            <label className="field">
              <span>{t('results.wizard.dataset')}</span>
              <select data-testid="wizard-dataset" required value={v.datasetId} onChange={(e) => setV({ ...v, datasetId: e.target.value, version: '' })}>
                <option value="" />
                {datasets.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name} · {t(`results.purpose.${d.purpose}`, { defaultValue: d.purpose })} · {t('results.wizard.images', { count: d.imageCount })}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('results.wizard.version')}</span>
              <input
                data-testid="wizard-version"
                inputMode="numeric"
                placeholder={dataset ? t('results.wizard.latest', { version: dataset.latestVersion }) : ''}
                value={v.version}
                onChange={(e) => setV({ ...v, version: e.target.value })}
              />
            </label>
          </div>
          {model && (
            <label className="field">
              <span>{t('results.wizard.plan')}</span>
              <select data-testid="wizard-plan" value={v.planId} onChange={(e) => applyPlan(e.target.value)}>
                <option value="">{t('results.wizard.noPlan')}</option>
                {modelPlans.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {model?.task === 'detection' && (
            <label className="field">
              <span>{t('results.wizard.iou')}</span>
              <input data-testid="wizard-iou" inputMode="decimal" value={v.iou} onChange={(e) => setV({ ...v, iou: e.target.value })} />
            </label>
          )}
          <label className="field">
            <span>{t('results.wizard.preset')}</span>
            <select data-testid="wizard-preset" value={v.presetId} onChange={(e) => applyPreset(e.target.value)}>
              <option value="">{t('results.wizard.noPreset')}</option>
              {usablePresets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <ParameterInputs params={activeParams} typed={typed} onChange={setTyped} testIdPrefix="wizard-param" />
          {activeStandards.length > 0 && (
            <fieldset className="param-inputs" data-testid="wizard-standards">
              <legend>{t('results.wizard.standards')}</legend>
              {activeStandards.map((s) => (
                <label key={s.id} className="check">
                  <input
                    type="checkbox"
                    checked={standardIds.includes(s.id)}
                    onChange={(e) => setStandardIds(e.target.checked ? [...standardIds, s.id] : standardIds.filter((id) => id !== s.id))}
                  />
                  {s.name}
                </label>
              ))}
            </fieldset>
          )}
          <label className="field">
            <span>{t('results.wizard.notes')}</span>
            <textarea rows={2} data-testid="wizard-notes" value={v.notes} onChange={(e) => setV({ ...v, notes: e.target.value })} />
          </label>
        </>
      )}
      {action.error && <ErrorBanner error={action.error} testId="wizard-run-error" onDismiss={action.clear} />}
      <div className="button-row">
        <button type="submit" className="btn btn-primary" data-testid="wizard-run-next" disabled={action.busy}>
          {action.busy ? t('results.wizard.checking') : mode === 'new' ? t('results.wizard.createRun') : t('results.wizard.next')}
        </button>
      </div>
      {leakage && <LeakageDialog report={leakage} busy={action.busy} onCancel={() => setLeakage(null)} onConfirm={() => void create(true)} />}
    </form>
  );
}

function FileStep({ runId, runName, onImported }: { runId: number; runName: string; onImported: (run: RunView, report: ImportReport) => void }) {
  const { t } = useTranslation();
  const [path, setPath] = useState('');
  const [refused, setRefused] = useState<ImportReport | null>(null);
  const action = useFormAction();

  const send = async (acceptPartial: boolean) => {
    if (action.busy || !path.trim()) return;
    setRefused(null);
    await action.run(async () => {
      const result = await resultsApi.importResults({ runId, source: { path: path.trim() }, acceptPartial });
      if (result.ok) {
        if (result.value.imported) onImported(result.value.run, result.value.report);
        else setRefused(result.value.report);
      }
      return outcomeOf(result);
    }, '');
  };

  return (
    <form
      className="form"
      data-testid="wizard-file-form"
      onSubmit={(e) => {
        e.preventDefault();
        void send(false);
      }}
    >
      <p className="muted">{t('results.wizard.fileFor', { run: runName })}</p>
      <label className="field">
        <span>{t('results.wizard.path')}</span>
        <input data-testid="wizard-path" required placeholder="/data/results/predictions.csv" value={path} onChange={(e) => setPath(e.target.value)} />
        <small className="hint">{t('results.wizard.pathHint')}</small>
      </label>
      {action.error && <ErrorBanner error={action.error} testId="wizard-file-error" onDismiss={action.clear} />}
      {refused && (
        <div className="panel-fill" data-testid="wizard-refused">
          <p className="notice notice-warn">{t('results.wizard.refused', { count: refused.problems.length, total: refused.rowsTotal })}</p>
          <ProblemReport report={refused} />
          <div className="button-row">
            <button type="button" className="btn btn-danger" data-testid="wizard-accept-partial" disabled={action.busy || refused.rowsTotal === 0} onClick={() => void send(true)}>
              {t('results.wizard.acceptPartial')}
            </button>
          </div>
          <p className="hint">{t('results.wizard.fixHint')}</p>
        </div>
      )}
      <div className="button-row">
        <button type="submit" className="btn btn-primary" data-testid="wizard-import" disabled={action.busy}>
          {action.busy ? t('results.wizard.importing') : t('results.wizard.import')}
        </button>
      </div>
    </form>
  );
}
