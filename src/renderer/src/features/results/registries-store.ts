import { create } from 'zustand';
import type { ModelView, ParameterView, PresetView, RequestOf, StandardView } from '../../../../shared/contract';
import { valueOrReport } from '../../core/result';
import { resultsApi } from './api';
import { outcomeOf, type ActionOutcome } from './outcome';

interface RegistriesState {
  readonly models: readonly ModelView[] | null;
  readonly params: readonly ParameterView[] | null;
  readonly standards: readonly StandardView[] | null;
  readonly presets: readonly PresetView[] | null;
  loadAll(): Promise<void>;
  loadModels(): Promise<void>;
  loadParams(): Promise<void>;
  loadStandards(): Promise<void>;
  loadPresets(): Promise<void>;
  createModel(req: RequestOf<'models:create'>): Promise<ActionOutcome>;
  updateModel(req: RequestOf<'models:update'>): Promise<ActionOutcome>;
  createParam(req: RequestOf<'params:create'>): Promise<ActionOutcome>;
  addOption(parameterId: number, value: string): Promise<ActionOutcome>;
  widen(req: RequestOf<'params:widen'>): Promise<ActionOutcome>;
  setParamsDisabled(req: RequestOf<'params:setDisabled'>): Promise<ActionOutcome>;
  createStandard(req: RequestOf<'standards:create'>): Promise<ActionOutcome>;
  disableStandards(ids: number[]): Promise<ActionOutcome>;
  createPreset(req: RequestOf<'presets:create'>): Promise<ActionOutcome>;
  setPresetsDisabled(ids: number[], disabled: boolean): Promise<ActionOutcome>;
}

/**
 * The registries (models, parameters, test standards, presets). The database holds the rules
 * (append-only, widen-only); after each change the list concerned is read again rather than
 * patched here, so the screen always shows what the database kept.
 */
export const useRegistriesStore = create<RegistriesState>()((set, get) => {
  const after = async (result: Parameters<typeof outcomeOf>[0], reload: () => Promise<void>): Promise<ActionOutcome> => {
    if (result.ok) await reload();
    return outcomeOf(result);
  };
  return {
    models: null,
    params: null,
    standards: null,
    presets: null,

    async loadAll() {
      await Promise.all([get().loadModels(), get().loadParams(), get().loadStandards(), get().loadPresets()]);
    },
    async loadModels() {
      const models = valueOrReport(await resultsApi.listModels());
      if (models) set({ models });
    },
    async loadParams() {
      const params = valueOrReport(await resultsApi.listParams());
      if (params) set({ params });
    },
    async loadStandards() {
      const standards = valueOrReport(await resultsApi.listStandards());
      if (standards) set({ standards });
    },
    async loadPresets() {
      const presets = valueOrReport(await resultsApi.listPresets());
      if (presets) set({ presets });
    },

    createModel: async (req) => after(await resultsApi.createModel(req), get().loadModels),
    updateModel: async (req) => after(await resultsApi.updateModel(req), get().loadModels),
    createParam: async (req) => after(await resultsApi.createParam(req), get().loadParams),
    addOption: async (parameterId, value) => after(await resultsApi.addOption(parameterId, value), get().loadParams),
    widen: async (req) => after(await resultsApi.widenParam(req), get().loadParams),
    setParamsDisabled: async (req) => after(await resultsApi.setParamsDisabled(req), get().loadParams),
    createStandard: async (req) => after(await resultsApi.createStandard(req), get().loadStandards),
    disableStandards: async (ids) => after(await resultsApi.disableStandards(ids), get().loadStandards),
    createPreset: async (req) => after(await resultsApi.createPreset(req), get().loadPresets),
    setPresetsDisabled: async (ids, disabled) => after(await resultsApi.setPresetsDisabled(ids, disabled), get().loadPresets),
  };
});

/** One row of the parameters grid: a parameter, or one of its options (multi-select covers both). */
export interface ParamRow {
  readonly rowId: string;
  readonly kind: 'parameter' | 'option';
  readonly id: number;
  readonly parameterId: number;
  readonly name: string;
  readonly type: ParameterView['type'];
  readonly detail: string;
  readonly disabled: boolean;
}

/** Parameters with their options right below them, as flat grid rows. */
export function paramRows(params: readonly ParameterView[], range: (p: ParameterView) => string): ParamRow[] {
  return params.flatMap((p) => [
    { rowId: `p${p.id}`, kind: 'parameter' as const, id: p.id, parameterId: p.id, name: p.name, type: p.type, detail: range(p), disabled: p.disabled },
    ...p.options.map((o) => ({
      rowId: `o${o.id}`,
      kind: 'option' as const,
      id: o.id,
      parameterId: p.id,
      name: `${p.name} = ${o.value}`,
      type: p.type,
      detail: o.value,
      disabled: o.disabled,
    })),
  ]);
}

/** The request of a multi-select enable/disable: parameters and options in one call. */
export function setDisabledRequest(rows: readonly ParamRow[], disabled: boolean): RequestOf<'params:setDisabled'> {
  return {
    parameterIds: rows.filter((r) => r.kind === 'parameter').map((r) => r.id),
    optionIds: rows.filter((r) => r.kind === 'option').map((r) => r.id),
    disabled,
  };
}
