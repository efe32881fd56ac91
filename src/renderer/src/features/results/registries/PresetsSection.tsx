import type { ColDef } from 'ag-grid-community';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParameterView, PresetView } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { useFormAction } from '../outcome';
import { useRegistriesStore } from '../registries-store';
import { FormStatus } from './FormStatus';

/** `epochs=100, optimizer=adam`, sorted by name so two presets read alike. */
export function valuesText(values: Record<string, string | number>): string {
  return Object.keys(values)
    .sort()
    .map((k) => `${k}=${String(values[k])}`)
    .join(', ');
}

/**
 * The parameter values typed into the preset form as a request: blank fields are left out,
 * number parameters become numbers. Returns the names that are not numbers for a number parameter.
 */
export function presetValues(params: readonly ParameterView[], typed: Record<string, string>): { values: Record<string, string | number>; bad: string[] } {
  const values: Record<string, string | number> = {};
  const bad: string[] = [];
  for (const p of params) {
    const text = typed[p.name]?.trim() ?? '';
    if (text === '') continue;
    if (p.type === 'number') {
      const n = Number(text);
      if (Number.isFinite(n)) values[p.name] = n;
      else bad.push(p.name);
    } else values[p.name] = text;
  }
  return { values, bad };
}

/** Presets ("recipes"): named sets of parameter values, created from values and disabled, never edited. */
export function PresetsSection({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const presets = useRegistriesStore((s) => s.presets);
  const models = useRegistriesStore((s) => s.models);
  const setPresetsDisabled = useRegistriesStore((s) => s.setPresetsDisabled);
  const [selected, setSelected] = useState<PresetView[]>([]);
  const action = useFormAction();
  const columns = useMemo<ColDef<PresetView>[]>(
    () => [
      { headerName: t('results.registries.presets.name'), field: 'name', flex: 1, minWidth: 140 },
      {
        headerName: t('results.registries.presets.model'),
        colId: 'model',
        width: 160,
        valueGetter: (p) => (p.data?.modelId ? (models?.find((m) => m.id === p.data?.modelId)?.name ?? `#${p.data.modelId}`) : t('results.registries.presets.anyModel')),
      },
      { headerName: t('results.registries.presets.values'), colId: 'values', flex: 2, minWidth: 200, valueGetter: (p) => (p.data ? valuesText(p.data.values) : '') },
      {
        headerName: t('results.registries.status'),
        colId: 'status',
        width: 110,
        valueGetter: (p) => (p.data?.disabled ? t('results.registries.disabled') : t('results.registries.enabled')),
        cellClass: (p) => (p.data?.disabled ? 'cell-muted' : undefined),
      },
    ],
    [t, models],
  );
  const apply = async (disabled: boolean) => {
    if (!selected.length || action.busy) return;
    await action.run(
      () => setPresetsDisabled(selected.map((p) => p.id), disabled),
      t(disabled ? 'results.registries.presets.disabledDone' : 'results.registries.presets.enabledDone', { count: selected.length }),
    );
  };
  return (
    <div className="split" data-testid="registries-presets">
      <div className="split-main panel-fill">
        {canEdit && (
          <div className="toolbar">
            <span className="muted">{t('results.registries.selected', { count: selected.length })}</span>
            <div className="button-row">
              <button type="button" className="btn" data-testid="presets-enable" disabled={!selected.length || action.busy} onClick={() => void apply(false)}>
                {t('results.registries.enableSelected')}
              </button>
              <button type="button" className="btn btn-danger" data-testid="presets-disable" disabled={!selected.length || action.busy} onClick={() => void apply(true)}>
                {t('results.registries.disableSelected')}
              </button>
            </div>
          </div>
        )}
        <FormStatus error={action.error} done={action.done} testId="presets-toggle" onDismiss={action.clear} />
        <DataGrid<PresetView>
          testId="presets-grid"
          rows={presets}
          columns={columns}
          rowId={(p) => String(p.id)}
          multiSelect={canEdit}
          selectedIds={selected.map((p) => String(p.id))}
          onSelectionChanged={(rows) => setSelected(rows)}
          rowClass={(p) => (p.disabled ? 'row-disabled' : undefined)}
        />
      </div>
      {canEdit && (
        <aside className="split-side">
          <CreatePresetForm />
        </aside>
      )}
    </div>
  );
}

function CreatePresetForm() {
  const { t } = useTranslation();
  const params = useRegistriesStore((s) => s.params);
  const models = useRegistriesStore((s) => s.models);
  const createPreset = useRegistriesStore((s) => s.createPreset);
  const active = (params ?? []).filter((p) => !p.disabled);
  const [name, setName] = useState('');
  const [modelId, setModelId] = useState('');
  const [typed, setTyped] = useState<Record<string, string>>({});
  const action = useFormAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    const { values, bad } = presetValues(active, typed);
    if (bad.length) {
      action.setError({ code: 'VALIDATION', message: t('results.registries.presets.badNumbers', { names: bad.join(', ') }) });
      return;
    }
    const ok = await action.run(
      () => createPreset({ name: name.trim(), modelId: modelId ? Number(modelId) : null, values }),
      t('results.registries.presets.created', { name: name.trim() }),
    );
    if (ok) {
      setName('');
      setTyped({});
    }
  };
  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="preset-create-form">
      <h3>{t('results.registries.presets.createTitle')}</h3>
      <label className="field">
        <span>{t('results.registries.presets.name')}</span>
        <input data-testid="preset-create-name" required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('results.registries.presets.model')}</span>
        <select data-testid="preset-create-model" value={modelId} onChange={(e) => setModelId(e.target.value)}>
          <option value="">{t('results.registries.presets.anyModel')}</option>
          {(models ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <ParameterInputs params={active} typed={typed} onChange={setTyped} testIdPrefix="preset-value" />
      <FormStatus error={action.error} done={action.done} testId="preset-create" onDismiss={action.clear} />
      <button type="submit" className="btn btn-primary" data-testid="preset-create-submit" disabled={action.busy}>
        {action.busy ? t('common.saving') : t('results.registries.presets.create')}
      </button>
    </form>
  );
}

/** One input per active parameter: a list for option parameters (enabled options only), text otherwise. Blank = not set. */
export function ParameterInputs({
  params,
  typed,
  onChange,
  testIdPrefix,
}: {
  params: readonly ParameterView[];
  typed: Record<string, string>;
  onChange: (typed: Record<string, string>) => void;
  testIdPrefix: string;
}) {
  const { t } = useTranslation();
  if (!params.length) return <p className="muted">{t('results.registries.presets.noParams')}</p>;
  return (
    <fieldset className="param-inputs">
      <legend>{t('results.registries.presets.values')}</legend>
      {params.map((p) => (
        <label key={p.id} className="field">
          <span>
            {p.name}
            {p.type === 'number' && <small className="muted"> {rangeHint(p)}</small>}
          </span>
          {p.type === 'option' ? (
            <select data-testid={`${testIdPrefix}-${p.name}`} value={typed[p.name] ?? ''} onChange={(e) => onChange({ ...typed, [p.name]: e.target.value })}>
              <option value="">{t('results.registries.presets.unset')}</option>
              {p.options
                .filter((o) => !o.disabled)
                .map((o) => (
                  <option key={o.id} value={o.value}>
                    {o.value}
                  </option>
                ))}
            </select>
          ) : (
            <input
              data-testid={`${testIdPrefix}-${p.name}`}
              inputMode={p.type === 'number' ? 'decimal' : undefined}
              value={typed[p.name] ?? ''}
              onChange={(e) => onChange({ ...typed, [p.name]: e.target.value })}
            />
          )}
        </label>
      ))}
    </fieldset>
  );
}

function rangeHint(p: ParameterView): string {
  return `[${p.min ?? '−∞'}, ${p.max ?? '+∞'}]${p.unit ? ` ${p.unit}` : ''}`;
}
