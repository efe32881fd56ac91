import type { ColDef } from 'ag-grid-community';
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParameterView } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { useFormAction } from '../outcome';
import { paramRows, setDisabledRequest, useRegistriesStore, type ParamRow } from '../registries-store';
import { FormStatus } from './FormStatus';

/** `[min, max] unit`, an open end written as ∞. */
export function rangeText(p: Pick<ParameterView, 'min' | 'max' | 'unit'>): string {
  const lo = p.min === null ? '−∞' : String(p.min);
  const hi = p.max === null ? '+∞' : String(p.max);
  return `[${lo}, ${hi}]${p.unit ? ` ${p.unit}` : ''}`;
}

/** A number field's text as a bound: blank is "no bound", anything unparsable is NaN (refused before sending). */
export function parseBound(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

/**
 * Algorithm parameters: options are added, never edited or removed, only disabled; a numeric
 * range only widens. Parameters and options are selected together and enabled or disabled in
 * one call (the seed's second regret).
 */
export function ParametersSection({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const params = useRegistriesStore((s) => s.params);
  const setParamsDisabled = useRegistriesStore((s) => s.setParamsDisabled);
  const [selected, setSelected] = useState<ParamRow[]>([]);
  const [focusId, setFocusId] = useState<number | null>(null);
  const focused = params?.find((p) => p.id === focusId) ?? null;
  const action = useFormAction();

  const describe = useCallback(
    (p: ParameterView) =>
      p.type === 'number' ? rangeText(p) : p.type === 'option' ? t('results.registries.params.optionCount', { count: p.options.length }) : p.unit,
    [t],
  );
  const rows = useMemo(() => (params ? paramRows(params, describe) : null), [params, describe]);
  const columns = useMemo<ColDef<ParamRow>[]>(
    () => [
      {
        headerName: t('results.registries.params.name'),
        field: 'name',
        flex: 1.4,
        minWidth: 160,
        cellClass: (p) => (p.data?.kind === 'option' ? 'param-option' : undefined),
      },
      { headerName: t('results.registries.params.type'), colId: 'type', width: 110, valueGetter: (p) => (p.data ? t(`results.registries.params.types.${p.data.type}`) : '') },
      { headerName: t('results.registries.params.detail'), field: 'detail', flex: 1, minWidth: 120 },
      {
        headerName: t('results.registries.status'),
        colId: 'status',
        width: 110,
        valueGetter: (p) => (p.data?.disabled ? t('results.registries.disabled') : t('results.registries.enabled')),
        cellClass: (p) => (p.data?.disabled ? 'cell-muted' : undefined),
      },
    ],
    [t],
  );

  const apply = async (disabled: boolean) => {
    if (!selected.length || action.busy) return;
    const req = setDisabledRequest(selected, disabled);
    await action.run(
      () => setParamsDisabled(req),
      t(disabled ? 'results.registries.params.disabledDone' : 'results.registries.params.enabledDone', {
        parameters: req.parameterIds?.length ?? 0,
        options: req.optionIds?.length ?? 0,
      }),
    );
  };

  return (
    <div className="split" data-testid="registries-parameters">
      <div className="split-main panel-fill">
        {canEdit && (
          <div className="toolbar">
            <span className="muted" data-testid="params-selected-count">
              {t('results.registries.selected', { count: selected.length })}
            </span>
            <div className="button-row">
              <button type="button" className="btn" data-testid="params-enable" disabled={!selected.length || action.busy} onClick={() => void apply(false)}>
                {t('results.registries.enableSelected')}
              </button>
              <button type="button" className="btn btn-danger" data-testid="params-disable" disabled={!selected.length || action.busy} onClick={() => void apply(true)}>
                {t('results.registries.disableSelected')}
              </button>
            </div>
          </div>
        )}
        <FormStatus error={action.error} done={action.done} testId="params-toggle" onDismiss={action.clear} />
        <DataGrid<ParamRow>
          testId="params-grid"
          rows={rows}
          columns={columns}
          rowId={(r) => r.rowId}
          multiSelect={canEdit}
          selectedIds={selected.map((r) => r.rowId)}
          onSelectionChanged={(rowsSelected) => setSelected(rowsSelected)}
          onRowClicked={(r) => setFocusId(r.parameterId)}
          rowClass={(r) => (r.disabled ? 'row-disabled' : undefined)}
        />
      </div>
      {canEdit && (
        <aside className="split-side">
          {focused?.type === 'number' && <WidenForm key={`w${focused.id}`} param={focused} />}
          {focused?.type === 'option' && <AddOptionForm key={`o${focused.id}`} param={focused} />}
          {(!focused || focused.type === 'text') && <p className="muted card">{t('results.registries.params.selectHint')}</p>}
          <CreateParamForm />
        </aside>
      )}
    </div>
  );
}

function CreateParamForm() {
  const { t } = useTranslation();
  const createParam = useRegistriesStore((s) => s.createParam);
  const empty = { name: '', type: 'number' as ParameterView['type'], unit: '', min: '', max: '', options: '' };
  const [v, setV] = useState(empty);
  const action = useFormAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    const min = v.type === 'number' ? parseBound(v.min) : null;
    const max = v.type === 'number' ? parseBound(v.max) : null;
    if (Number.isNaN(min) || Number.isNaN(max)) {
      action.setError({ code: 'VALIDATION', message: t('results.registries.params.badNumber') });
      return;
    }
    const options = v.type === 'option' ? v.options.split(/\r?\n|,/).map((o) => o.trim()).filter(Boolean) : [];
    const ok = await action.run(
      () => createParam({ name: v.name.trim(), type: v.type, unit: v.unit.trim(), min, max, options }),
      t('results.registries.params.created', { name: v.name.trim() }),
    );
    if (ok) setV(empty);
  };
  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="param-create-form">
      <h3>{t('results.registries.params.createTitle')}</h3>
      <div className="form-row">
        <label className="field">
          <span>{t('results.registries.params.name')}</span>
          <input data-testid="param-create-name" required value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('results.registries.params.type')}</span>
          <select data-testid="param-create-type" value={v.type} onChange={(e) => setV({ ...v, type: e.target.value as ParameterView['type'] })}>
            {(['number', 'text', 'option'] as const).map((type) => (
              <option key={type} value={type}>
                {t(`results.registries.params.types.${type}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {v.type !== 'option' && (
        <label className="field">
          <span>{t('results.registries.params.unit')}</span>
          <input data-testid="param-create-unit" value={v.unit} onChange={(e) => setV({ ...v, unit: e.target.value })} />
        </label>
      )}
      {v.type === 'number' && (
        <div className="form-row">
          <label className="field">
            <span>{t('results.registries.params.min')}</span>
            <input data-testid="param-create-min" inputMode="decimal" value={v.min} onChange={(e) => setV({ ...v, min: e.target.value })} />
          </label>
          <label className="field">
            <span>{t('results.registries.params.max')}</span>
            <input data-testid="param-create-max" inputMode="decimal" value={v.max} onChange={(e) => setV({ ...v, max: e.target.value })} />
          </label>
        </div>
      )}
      {v.type === 'number' && <small className="hint">{t('results.registries.params.boundHint')}</small>}
      {v.type === 'option' && (
        <label className="field">
          <span>{t('results.registries.params.options')}</span>
          <textarea data-testid="param-create-options" rows={3} value={v.options} onChange={(e) => setV({ ...v, options: e.target.value })} />
          <small className="hint">{t('results.registries.params.optionsHint')}</small>
        </label>
      )}
      <FormStatus error={action.error} done={action.done} testId="param-create" onDismiss={action.clear} />
      <button type="submit" className="btn btn-primary" data-testid="param-create-submit" disabled={action.busy}>
        {action.busy ? t('common.saving') : t('results.registries.params.create')}
      </button>
    </form>
  );
}

function WidenForm({ param }: { param: ParameterView }) {
  const { t } = useTranslation();
  const widen = useRegistriesStore((s) => s.widen);
  const [min, setMin] = useState(param.min === null ? '' : String(param.min));
  const [max, setMax] = useState(param.max === null ? '' : String(param.max));
  const action = useFormAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    const lo = parseBound(min);
    const hi = parseBound(max);
    if (Number.isNaN(lo) || Number.isNaN(hi)) {
      action.setError({ code: 'VALIDATION', message: t('results.registries.params.badNumber') });
      return;
    }
    // Sent as typed, even when narrower: the database is the judge and its refusal is shown.
    await action.run(() => widen({ id: param.id, min: lo, max: hi }), t('results.registries.params.widened', { range: rangeText({ min: lo, max: hi, unit: param.unit }) }));
  };
  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="param-widen-form">
      <h3>{t('results.registries.params.widenTitle', { name: param.name })}</h3>
      <p className="hint">{t('results.registries.params.widenHint', { range: rangeText(param) })}</p>
      <div className="form-row">
        <label className="field">
          <span>{t('results.registries.params.min')}</span>
          <input data-testid="param-widen-min" inputMode="decimal" value={min} onChange={(e) => setMin(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('results.registries.params.max')}</span>
          <input data-testid="param-widen-max" inputMode="decimal" value={max} onChange={(e) => setMax(e.target.value)} />
        </label>
      </div>
      <FormStatus error={action.error} done={action.done} testId="param-widen" onDismiss={action.clear} />
      <button type="submit" className="btn btn-primary" data-testid="param-widen-submit" disabled={action.busy}>
        {t('results.registries.params.widen')}
      </button>
    </form>
  );
}

function AddOptionForm({ param }: { param: ParameterView }) {
  const { t } = useTranslation();
  const addOption = useRegistriesStore((s) => s.addOption);
  const [value, setValue] = useState('');
  const action = useFormAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    const ok = await action.run(() => addOption(param.id, value.trim()), t('results.registries.params.optionAdded', { value: value.trim() }));
    if (ok) setValue('');
  };
  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="param-option-form">
      <h3>{t('results.registries.params.addOptionTitle', { name: param.name })}</h3>
      <p className="hint">{t('results.registries.params.optionsRule')}</p>
      <label className="field">
        <span>{t('results.registries.params.optionValue')}</span>
        <input data-testid="param-option-value" required value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <FormStatus error={action.error} done={action.done} testId="param-option" onDismiss={action.clear} />
      <button type="submit" className="btn btn-primary" data-testid="param-option-submit" disabled={action.busy}>
        {t('results.registries.params.addOption')}
      </button>
    </form>
  );
}
