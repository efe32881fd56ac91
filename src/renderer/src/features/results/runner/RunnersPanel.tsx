import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunnerView } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { formatDateTime } from '../../../ui/format';
import { useAuthStore } from '../../auth/auth-store';
import { useFormAction } from '../outcome';
import { usePlansStore } from '../plans-store';
import { FormStatus } from '../registries/FormStatus';
import { useRegistriesStore } from '../registries-store';
import { argvDisplay, argvFromText, argvToText, checkArgv, RUNNER_PLACEHOLDERS } from '../runner-rules';

/**
 * The local command of each model (issue 5 item 8): the algorithm admin registers it (a new
 * registration replaces the previous one); engineers read it and start it from a run.
 */
export function RunnersPanel() {
  const { t, i18n } = useTranslation();
  const runners = usePlansStore((s) => s.runners);
  const models = useRegistriesStore((s) => s.models);
  const canRegister = useAuthStore((s) => s.session?.roles.includes('algo_admin') ?? false);

  useEffect(() => {
    void usePlansStore.getState().loadRunners();
    void useRegistriesStore.getState().loadModels();
  }, []);

  const columns = useMemo<ColDef<RunnerView>[]>(
    () => [
      { headerName: t('results.runner.model'), colId: 'model', width: 160, valueGetter: (p) => models?.find((m) => m.id === p.data?.modelId)?.name ?? `#${p.data?.modelId ?? ''}` },
      { headerName: t('results.runner.argv'), colId: 'argv', flex: 2, minWidth: 240, valueGetter: (p) => (p.data ? argvDisplay(p.data.argv) : ''), cellClass: 'mono' },
      { headerName: t('results.runner.timeout'), field: 'timeoutSeconds', width: 120 },
      { headerName: t('results.runner.registered'), colId: 'created', width: 170, valueGetter: (p) => (p.data ? formatDateTime(p.data.createdAt, i18n.language) : '') },
    ],
    [t, i18n.language, models],
  );

  return (
    <div className="split" data-testid="results-runners">
      <div className="split-main panel-fill">
        <p className="muted">{t(canRegister ? 'results.runner.introAdmin' : 'results.runner.introEngineer')}</p>
        <DataGrid<RunnerView> testId="runners-grid" rows={runners} columns={columns} rowId={(r) => String(r.id)} />
      </div>
      {canRegister && (
        <aside className="split-side">
          <RegisterRunnerForm />
        </aside>
      )}
    </div>
  );
}

function RegisterRunnerForm() {
  const { t } = useTranslation();
  const models = useRegistriesStore((s) => s.models);
  const runners = usePlansStore((s) => s.runners);
  const registerRunner = usePlansStore((s) => s.registerRunner);
  const [modelId, setModelId] = useState('');
  const [argvText, setArgvText] = useState('');
  const [timeout, setTimeoutText] = useState('3600');
  const action = useFormAction();
  const argv = argvFromText(argvText);
  const check = checkArgv(argv);

  const pickModel = (id: string) => {
    setModelId(id);
    // Start from the model's current command, to change one argument rather than retype them all.
    const current = runners?.find((r) => String(r.modelId) === id);
    setArgvText(current ? argvToText(current.argv) : '');
    if (current) setTimeoutText(String(current.timeoutSeconds));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    const seconds = Number(timeout);
    if (!Number.isInteger(seconds) || seconds < 1) {
      action.setError({ code: 'VALIDATION', message: t('results.runner.badTimeout') });
      return;
    }
    if (!argv.length) {
      action.setError({ code: 'VALIDATION', message: t('results.runner.emptyArgv') });
      return;
    }
    const model = models?.find((m) => String(m.id) === modelId);
    await action.run(() => registerRunner({ modelId: Number(modelId), argv, timeoutSeconds: seconds }), t('results.runner.registeredDone', { model: model?.name ?? modelId }));
  };

  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="runner-register-form">
      <h3>{t('results.runner.registerTitle')}</h3>
      <label className="field">
        <span>{t('results.runner.model')}</span>
        <select data-testid="runner-model" required value={modelId} onChange={(e) => pickModel(e.target.value)}>
          <option value="" />
          {(models ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} ({t(`results.task.${m.task}`)})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('results.runner.argvLabel')}</span>
        <textarea
          className="mono"
          rows={5}
          spellCheck={false}
          data-testid="runner-argv"
          placeholder={'node\n/opt/midc/resources/runner/nearest-mean.mjs\n{manifest}'}
          value={argvText}
          onChange={(e) => setArgvText(e.target.value)}
        />
      </label>
      <div className="hint runner-placeholders" data-testid="runner-placeholders">
        <p>{t('results.runner.argvHint')}</p>
        <dl>
          {RUNNER_PLACEHOLDERS.map((p) => (
            <div key={p}>
              <dt className="mono">{p}</dt>
              <dd>{t(`results.runner.placeholders.${p === '{manifest}' ? 'manifest' : 'output'}`)}</dd>
            </div>
          ))}
        </dl>
      </div>
      {argv.length > 0 && check.noManifest && (
        <p className="notice notice-warn" data-testid="runner-no-manifest">
          {t('results.runner.noManifest')}
        </p>
      )}
      {check.unknownPlaceholders.length > 0 && (
        <p className="notice notice-warn" data-testid="runner-unknown-placeholders">
          {t('results.runner.unknownPlaceholders', { names: check.unknownPlaceholders.join(', ') })}
        </p>
      )}
      <label className="field">
        <span>{t('results.runner.timeoutLabel')}</span>
        <input data-testid="runner-timeout" inputMode="numeric" required value={timeout} onChange={(e) => setTimeoutText(e.target.value)} />
      </label>
      <FormStatus error={action.error} done={action.done} testId="runner-register" onDismiss={action.clear} />
      <button type="submit" className="btn btn-primary" data-testid="runner-register-submit" disabled={action.busy}>
        {action.busy ? t('common.saving') : t('results.runner.register')}
      </button>
    </form>
  );
}
