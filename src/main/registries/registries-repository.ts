import type { ModelView, ParameterView, PresetView, StandardView } from '../../shared/contract';
import type { ReadableDB } from '../db/types';

export function listModels(db: ReadableDB): ModelView[] {
  return (db.prepare('SELECT id, name, summary, task, created_at FROM models ORDER BY name COLLATE NOCASE').all() as {
    id: number;
    name: string;
    summary: string;
    task: ModelView['task'];
    created_at: string;
  }[]).map((m) => ({ id: m.id, name: m.name, summary: m.summary, task: m.task, createdAt: m.created_at }));
}

export function getModel(db: ReadableDB, id: number): ModelView | undefined {
  return listModels(db).find((m) => m.id === id);
}

export function listParameters(db: ReadableDB): ParameterView[] {
  const params = db.prepare('SELECT id, name, type, unit, min_value, max_value, disabled FROM algorithm_parameters ORDER BY name COLLATE NOCASE').all() as {
    id: number;
    name: string;
    type: ParameterView['type'];
    unit: string;
    min_value: number | null;
    max_value: number | null;
    disabled: number;
  }[];
  const options = db.prepare('SELECT id, parameter_id, value, disabled FROM parameter_options ORDER BY id').all() as {
    id: number;
    parameter_id: number;
    value: string;
    disabled: number;
  }[];
  return params.map((p) => ({
    id: p.id,
    name: p.name,
    type: p.type,
    unit: p.unit,
    min: p.min_value,
    max: p.max_value,
    disabled: p.disabled === 1,
    options: options.filter((o) => o.parameter_id === p.id).map((o) => ({ id: o.id, value: o.value, disabled: o.disabled === 1 })),
  }));
}

export function getParameter(db: ReadableDB, id: number): ParameterView | undefined {
  return listParameters(db).find((p) => p.id === id);
}

export function listStandards(db: ReadableDB): StandardView[] {
  return (db.prepare('SELECT * FROM test_standards ORDER BY id').all() as {
    id: number;
    name: string;
    metric: StandardView['metric'];
    class_name: string | null;
    comparison: '>=' | '<=';
    threshold: number;
    iou: number | null;
    disabled_at: string | null;
  }[]).map((s) => ({
    id: s.id,
    name: s.name,
    metric: s.metric,
    className: s.class_name,
    comparison: s.comparison,
    threshold: s.threshold,
    iou: s.iou,
    disabled: s.disabled_at !== null,
    disabledAt: s.disabled_at,
  }));
}

export function listPresets(db: ReadableDB): PresetView[] {
  return (db.prepare('SELECT id, name, model_id, "values", disabled FROM parameter_presets ORDER BY id').all() as {
    id: number;
    name: string;
    model_id: number | null;
    values: string;
    disabled: number;
  }[]).map((p) => ({ id: p.id, name: p.name, modelId: p.model_id, values: JSON.parse(p.values) as PresetView['values'], disabled: p.disabled === 1 }));
}
