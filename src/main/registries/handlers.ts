import { AppError } from '../../shared/errors';
import type { HandlerMap } from '../ipc/registry';
import { getModel, getParameter, listModels, listParameters, listPresets, listStandards } from './registries-repository';

type RegistryChannels =
  | 'models:list'
  | 'models:create'
  | 'models:update'
  | 'params:list'
  | 'params:create'
  | 'params:addOption'
  | 'params:widen'
  | 'params:setDisabled'
  | 'standards:list'
  | 'standards:create'
  | 'standards:disable'
  | 'presets:list'
  | 'presets:create'
  | 'presets:setDisabled';

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new AppError('NOT_FOUND', `${what} does not exist.`);
  return value;
}

/**
 * Registries of models, parameters, standards and presets. The append-only rules are the
 * database's (triggers, migration 0004); a refused change comes back as CONFLICT with the
 * trigger's sentence. These handlers add the checks a trigger cannot express well.
 */
export const registriesHandlers: HandlerMap<RegistryChannels> = {
  'models:list': (ctx) => listModels(ctx.app.db),
  'models:create': (ctx, req) => {
    const id = ctx.write(
      (newId: number) => ({ type: 'model', id: newId, details: req }),
      (db) =>
        Number(
          db
            .prepare('INSERT INTO models (name, summary, task, created_by, created_at) VALUES (?, ?, ?, ?, ?)')
            .run(req.name, req.summary, req.task, ctx.session?.userId ?? null, new Date(ctx.app.clock.now()).toISOString()).lastInsertRowid,
        ),
    );
    return must(getModel(ctx.app.db, id), `Model ${id}`);
  },
  'models:update': (ctx, req) => {
    const model = must(getModel(ctx.app.db, req.id), `Model ${req.id}`);
    ctx.write({ type: 'model', id: model.id, details: { before: { name: model.name, summary: model.summary }, after: req } }, (db) =>
      db.prepare('UPDATE models SET name = ?, summary = ? WHERE id = ?').run(req.name ?? model.name, req.summary ?? model.summary, model.id),
    );
    return must(getModel(ctx.app.db, model.id), `Model ${model.id}`);
  },

  'params:list': (ctx) => listParameters(ctx.app.db),
  'params:create': (ctx, req) => {
    const now = new Date(ctx.app.clock.now()).toISOString();
    const id = ctx.write(
      (newId: number) => ({ type: 'parameter', id: newId, details: req }),
      (db) => {
        const newId = Number(
          db
            .prepare('INSERT INTO algorithm_parameters (name, type, unit, min_value, max_value, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
            .run(req.name, req.type, req.unit, req.min, req.max, ctx.session?.userId ?? null, now).lastInsertRowid,
        );
        const add = db.prepare('INSERT INTO parameter_options (parameter_id, value, created_at) VALUES (?, ?, ?)');
        for (const value of new Set(req.options)) add.run(newId, value, now);
        return newId;
      },
    );
    return must(getParameter(ctx.app.db, id), `Parameter ${id}`);
  },
  'params:addOption': (ctx, req) => {
    const param = must(getParameter(ctx.app.db, req.parameterId), `Parameter ${req.parameterId}`);
    if (param.options.some((o) => o.value === req.value)) {
      throw new AppError('CONFLICT', `"${req.value}" is already an option of ${param.name}${param.options.find((o) => o.value === req.value)?.disabled ? ' (disabled)' : ''}.`);
    }
    ctx.write({ type: 'parameter', id: param.id, details: { addOption: req.value } }, (db) =>
      db.prepare('INSERT INTO parameter_options (parameter_id, value, created_at) VALUES (?, ?, ?)').run(param.id, req.value, new Date(ctx.app.clock.now()).toISOString()),
    );
    return must(getParameter(ctx.app.db, param.id), `Parameter ${param.id}`);
  },
  'params:widen': (ctx, req) => {
    const param = must(getParameter(ctx.app.db, req.id), `Parameter ${req.id}`);
    if (param.type !== 'number') throw new AppError('VALIDATION', `${param.name} is not a number parameter: it has no range.`);
    if (req.min !== null && req.max !== null && req.min > req.max) throw new AppError('VALIDATION', 'min must not exceed max.', { field: 'min' });
    ctx.write({ type: 'parameter', id: param.id, details: { before: { min: param.min, max: param.max }, after: { min: req.min, max: req.max } } }, (db) =>
      db.prepare('UPDATE algorithm_parameters SET min_value = ?, max_value = ? WHERE id = ?').run(req.min, req.max, param.id),
    );
    return must(getParameter(ctx.app.db, param.id), `Parameter ${param.id}`);
  },
  'params:setDisabled': (ctx, req) => {
    if (req.parameterIds.length + req.optionIds.length === 0) throw new AppError('VALIDATION', 'Select at least one parameter or option.');
    return ctx.write({ type: 'parameter', id: null, details: req }, (db) => {
      const flag = req.disabled ? 1 : 0;
      let parameters = 0;
      let options = 0;
      for (const id of req.parameterIds) parameters += db.prepare('UPDATE algorithm_parameters SET disabled = ? WHERE id = ?').run(flag, id).changes;
      for (const id of req.optionIds) options += db.prepare('UPDATE parameter_options SET disabled = ? WHERE id = ?').run(flag, id).changes;
      if (parameters !== req.parameterIds.length || options !== req.optionIds.length) {
        throw new AppError('NOT_FOUND', 'Some of the selected parameters or options do not exist; nothing was changed.');
      }
      return { parameters, options };
    });
  },

  'standards:list': (ctx) => listStandards(ctx.app.db),
  'standards:create': (ctx, req) => {
    if (req.iou !== null && req.metric !== 'ap' && req.metric !== 'precision' && req.metric !== 'recall' && req.metric !== 'f1') {
      throw new AppError('VALIDATION', `An IoU threshold applies to detection metrics (precision, recall, f1, ap), not to ${req.metric}.`, { field: 'iou' });
    }
    const id = ctx.write(
      (newId: number) => ({ type: 'standard', id: newId, details: req }),
      (db) =>
        Number(
          db
            .prepare('INSERT INTO test_standards (name, metric, class_name, comparison, threshold, iou, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
            .run(req.name, req.metric, req.className, req.comparison, req.threshold, req.iou, ctx.session?.userId ?? null, new Date(ctx.app.clock.now()).toISOString()).lastInsertRowid,
        ),
    );
    return must(listStandards(ctx.app.db).find((s) => s.id === id), `Standard ${id}`);
  },
  'standards:disable': (ctx, req) => {
    const now = new Date(ctx.app.clock.now()).toISOString();
    return ctx.write({ type: 'standard', id: null, details: req }, (db) => {
      let disabled = 0;
      for (const id of req.ids) disabled += db.prepare('UPDATE test_standards SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL').run(now, id).changes;
      return { disabled };
    });
  },

  'presets:list': (ctx) => listPresets(ctx.app.db),
  'presets:create': (ctx, req) => {
    const params = new Map(listParameters(ctx.app.db).map((p) => [p.name.toLowerCase(), p]));
    const problems: string[] = [];
    for (const [name, value] of Object.entries(req.values)) {
      const p = params.get(name.toLowerCase());
      if (!p) problems.push(`${name}: no such parameter`);
      else if (p.disabled) problems.push(`${name}: the parameter is disabled`);
      else if (p.type === 'number') {
        if (typeof value !== 'number') problems.push(`${name}: must be a number`);
        else if ((p.min !== null && value < p.min) || (p.max !== null && value > p.max)) problems.push(`${name}: ${value} is outside [${p.min ?? '-inf'}, ${p.max ?? 'inf'}]`);
      } else if (p.type === 'option') {
        const option = p.options.find((o) => o.value === String(value));
        if (!option) problems.push(`${name}: "${String(value)}" is not an option`);
        else if (option.disabled) problems.push(`${name}: the option "${option.value}" is disabled`);
      }
    }
    if (req.modelId !== null) must(getModel(ctx.app.db, req.modelId), `Model ${req.modelId}`);
    if (problems.length) throw new AppError('VALIDATION', `The preset has invalid values: ${problems.join('; ')}.`, { problems });
    const id = ctx.write(
      (newId: number) => ({ type: 'preset', id: newId, details: req }),
      (db) =>
        Number(
          db
            .prepare('INSERT INTO parameter_presets (name, model_id, "values", created_by, created_at) VALUES (?, ?, ?, ?, ?)')
            .run(req.name, req.modelId, JSON.stringify(req.values), ctx.session?.userId ?? null, new Date(ctx.app.clock.now()).toISOString()).lastInsertRowid,
        ),
    );
    return must(listPresets(ctx.app.db).find((p) => p.id === id), `Preset ${id}`);
  },
  'presets:setDisabled': (ctx, req) =>
    ctx.write({ type: 'preset', id: null, details: req }, (db) => {
      let updated = 0;
      for (const id of req.ids) updated += db.prepare('UPDATE parameter_presets SET disabled = ? WHERE id = ?').run(req.disabled ? 1 : 0, id).changes;
      return { updated };
    }),
};
