import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanView } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { formatDateTime } from '../../../ui/format';
import { useAuthStore } from '../../auth/auth-store';
import { useFormAction } from '../outcome';
import { usePlansStore } from '../plans-store';
import { FormStatus } from '../registries/FormStatus';
import { ParameterInputs, presetValues, valuesText } from '../registries/PresetsSection';
import { useRegistriesStore } from '../registries-store';
import { planDatasetsText, planRequest, typedFromValues } from '../runner-rules';

/**
 * Training plans (issue 5 item 4): which model is trained with which parameter values on which
 * training sets (each at a version, frozen once used), with notes. A run may name its plan; the
 * runner trains on the plan's sets. Engineers record plans; the algorithm admin reads them.
 */
export function PlansPanel() {
  const { t, i18n } = useTranslation();
  const plans = usePlansStore((s) => s.plans);
  const canCreate = useAuthStore((s) => s.session?.roles.includes('algo_engineer') ?? false);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const selected = plans?.find((p) => p.id === selectedId) ?? null;

  useEffect(() => {
    void usePlansStore.getState().loadPlans();
    void usePlansStore.getState().loadDatasets();
    void useRegistriesStore.getState().loadAll();
  }, []);

  const columns = useMemo<ColDef<PlanView>[]>(
    () => [
      { headerName: t('results.plans.name'), field: 'name', flex: 1, minWidth: 140 },
      { headerName: t('results.plans.model'), field: 'modelName', width: 140 },
      { headerName: t('results.plans.values'), colId: 'values', flex: 1, minWidth: 160, valueGetter: (p) => (p.data ? valuesText(p.data.parameterValues) : '') },
      { headerName: t('results.plans.datasets'), colId: 'datasets', flex: 1, minWidth: 160, valueGetter: (p) => (p.data ? planDatasetsText(p.data) : '') },
      { headerName: t('results.plans.createdBy'), colId: 'createdBy', width: 130, valueGetter: (p) => p.data?.createdBy ?? '—' },
      { headerName: t('results.plans.createdAt'), colId: 'created', width: 160, valueGetter: (p) => (p.data ? formatDateTime(p.data.createdAt, i18n.language) : '') },
    ],
    [t, i18n.language],
  );

  return (
    <div className="split" data-testid="results-plans">
      <div className="split-main panel-fill">
        <p className="muted">{t('results.plans.intro')}</p>
        <DataGrid<PlanView>
          testId="plans-grid"
          rows={plans}
          columns={columns}
          rowId={(p) => String(p.id)}
          selectedId={selectedId === null ? null : String(selectedId)}
          onRowClicked={(p) => setSelectedId(p.id)}
        />
        {selected && (
          <div className="card" data-testid="plan-detail">
            <h3>{selected.name}</h3>
            <p className="muted">{t('results.plans.detailLine', { model: selected.modelName, values: valuesText(selected.parameterValues) || '—', datasets: planDatasetsText(selected) || '—' })}</p>
            {selected.notes && <p className="plan-notes">{selected.notes}</p>}
          </div>
        )}
      </div>
      {canCreate && (
        <aside className="split-side">
          <CreatePlanForm />
        </aside>
      )}
    </div>
  );
}

function CreatePlanForm() {
  const { t } = useTranslation();
  const models = useRegistriesStore((s) => s.models);
  const params = useRegistriesStore((s) => s.params);
  const presets = useRegistriesStore((s) => s.presets);
  const datasets = usePlansStore((s) => s.datasets);
  const createPlan = usePlansStore((s) => s.createPlan);
  const active = useMemo(() => (params ?? []).filter((p) => !p.disabled), [params]);
  const [v, setV] = useState({ name: '', modelId: '', presetId: '', notes: '' });
  const [typed, setTyped] = useState<Record<string, string>>({});
  /** Ticked training sets, with the version typed for each (blank: the newest). */
  const [picked, setPicked] = useState<Record<number, string>>({});
  const action = useFormAction();
  const usablePresets = (presets ?? []).filter((p) => !p.disabled && (p.modelId === null || String(p.modelId) === v.modelId));
  // Training sets first: that is what a plan trains on; the others stay pickable.
  const ordered = [...(datasets ?? [])].sort((a, b) => Number(b.purpose === 'training') - Number(a.purpose === 'training') || a.name.localeCompare(b.name));

  const applyPreset = (presetId: string) => {
    setV({ ...v, presetId });
    const preset = presets?.find((p) => String(p.id) === presetId);
    if (preset) setTyped(typedFromValues(preset.values));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    const { values, bad } = presetValues(active, typed);
    if (bad.length) {
      action.setError({ code: 'VALIDATION', message: t('results.registries.presets.badNumbers', { names: bad.join(', ') }) });
      return;
    }
    const { request, badVersions } = planRequest({
      name: v.name,
      modelId: v.modelId,
      values,
      datasets: Object.entries(picked).map(([id, version]) => ({ datasetId: Number(id), version })),
      notes: v.notes,
    });
    if (badVersions.length) {
      const names = badVersions.map((id) => datasets?.find((d) => d.id === id)?.name ?? `#${id}`).join(', ');
      action.setError({ code: 'VALIDATION', message: t('results.plans.badVersion', { names }) });
      return;
    }
    const ok = await action.run(() => createPlan(request), t('results.plans.created', { name: request.name }));
    if (ok) {
      setV({ name: '', modelId: v.modelId, presetId: '', notes: '' });
      setTyped({});
      setPicked({});
    }
  };

  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="plan-create-form">
      <h3>{t('results.plans.createTitle')}</h3>
      <label className="field">
        <span>{t('results.plans.name')}</span>
        <input data-testid="plan-name" required value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />
      </label>
      <label className="field">
        <span>{t('results.plans.model')}</span>
        <select data-testid="plan-model" required value={v.modelId} onChange={(e) => setV({ ...v, modelId: e.target.value, presetId: '' })}>
          <option value="" />
          {(models ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} ({t(`results.task.${m.task}`)})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('results.plans.preset')}</span>
        <select data-testid="plan-preset" value={v.presetId} onChange={(e) => applyPreset(e.target.value)}>
          <option value="">{t('results.wizard.noPreset')}</option>
          {usablePresets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <ParameterInputs params={active} typed={typed} onChange={setTyped} testIdPrefix="plan-param" />
      <fieldset className="param-inputs" data-testid="plan-datasets">
        <legend>{t('results.plans.trainingSets')}</legend>
        {!ordered.length && <p className="muted">{t('results.plans.noDatasets')}</p>}
        {ordered.map((d) => {
          const on = picked[d.id] !== undefined;
          return (
            <div key={d.id} className="plan-dataset-row">
              <label className="check">
                <input
                  type="checkbox"
                  data-testid={`plan-dataset-${d.id}`}
                  checked={on}
                  onChange={(e) => {
                    const next = { ...picked };
                    if (e.target.checked) next[d.id] = '';
                    else delete next[d.id];
                    setPicked(next);
                  }}
                />
                {d.name} · {t(`results.purpose.${d.purpose}`, { defaultValue: d.purpose })}
              </label>
              {on && (
                <input
                  className="plan-version"
                  data-testid={`plan-dataset-version-${d.id}`}
                  inputMode="numeric"
                  aria-label={t('results.plans.versionOf', { name: d.name })}
                  placeholder={t('results.wizard.latest', { version: d.latestVersion })}
                  value={picked[d.id] ?? ''}
                  onChange={(e) => setPicked({ ...picked, [d.id]: e.target.value })}
                />
              )}
            </div>
          );
        })}
      </fieldset>
      <label className="field">
        <span>{t('results.plans.notes')}</span>
        <textarea rows={3} data-testid="plan-notes" value={v.notes} onChange={(e) => setV({ ...v, notes: e.target.value })} />
      </label>
      <FormStatus error={action.error} done={action.done} testId="plan-create" onDismiss={action.clear} />
      <button type="submit" className="btn btn-primary" data-testid="plan-create-submit" disabled={action.busy}>
        {action.busy ? t('common.saving') : t('results.plans.create')}
      </button>
    </form>
  );
}
