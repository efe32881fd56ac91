import type { PlanView } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ReadableDB, WritableDB } from '../db/types';
import { listParameters } from '../registries/registries-repository';

/**
 * Checks parameter values against the registry (DESIGN §4.2): the parameter exists and is
 * enabled, an option value is an enabled option, a number is a number within the range.
 * Throws VALIDATION listing every problem.
 */
export function validateParameterValues(db: ReadableDB, values: Record<string, string | number>): void {
  const params = new Map(listParameters(db).map((p) => [p.name.toLowerCase(), p]));
  const problems: { field: string; problem: string }[] = [];
  for (const [name, value] of Object.entries(values)) {
    const p = params.get(name.toLowerCase());
    const field = `parameterValues.${name}`;
    if (!p) problems.push({ field, problem: `${name}: no such parameter` });
    else if (p.disabled) problems.push({ field, problem: `${name}: the parameter is disabled` });
    else if (p.type === 'number') {
      if (typeof value !== 'number') problems.push({ field, problem: `${name}: must be a number` });
      else if ((p.min !== null && value < p.min) || (p.max !== null && value > p.max)) problems.push({ field, problem: `${name}: ${value} is outside [${p.min ?? '-inf'}, ${p.max ?? 'inf'}]` });
    } else if (p.type === 'option') {
      const option = p.options.find((o) => o.value === String(value));
      if (!option) problems.push({ field, problem: `${name}: "${String(value)}" is not an option` });
      else if (option.disabled) problems.push({ field, problem: `${name}: the option "${option.value}" is disabled` });
    } else if (typeof value !== 'string') problems.push({ field, problem: `${name}: must be text` });
  }
  if (problems.length) throw new AppError('VALIDATION', `Invalid parameter values: ${problems.map((p) => p.problem).join('; ')}.`, { problems });
}

/** The version row of a dataset: the given version, else the newest. */
export function datasetVersion(db: ReadableDB, datasetId: number, version?: number): { id: number; version: number; frozen_at: string | null; dataset_name: string; purpose: string } {
  const row = db
    .prepare(
      `SELECT v.id, v.version, v.frozen_at, d.name AS dataset_name, d.purpose FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id
       WHERE v.dataset_id = ? ${version === undefined ? 'ORDER BY v.version DESC LIMIT 1' : 'AND v.version = ?'}`,
    )
    .get(...(version === undefined ? [datasetId] : [datasetId, version])) as
    | { id: number; version: number; frozen_at: string | null; dataset_name: string; purpose: string }
    | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Dataset ${datasetId}${version === undefined ? '' : ` version ${version}`} does not exist.`, { field: 'datasetId' });
  return row;
}

/** Freezes a dataset version (its membership becomes immutable, migration 0003) if it is not yet. */
export function freezeVersion(db: WritableDB, versionId: number, now: string): void {
  db.prepare('UPDATE dataset_versions SET frozen_at = ? WHERE id = ? AND frozen_at IS NULL').run(now, versionId);
}

export function insertPlan(
  db: WritableDB,
  p: { name: string; modelId: number; values: Record<string, string | number>; versions: { datasetId: number; versionId: number }[]; notes: string; createdBy: number | null; createdAt: string },
): number {
  const id = Number(
    db
      .prepare('INSERT INTO training_plans (name, model_id, parameter_values, notes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(p.name, p.modelId, JSON.stringify(p.values), p.notes, p.createdBy, p.createdAt).lastInsertRowid,
  );
  const add = db.prepare('INSERT INTO plan_datasets (plan_id, dataset_id, version_id) VALUES (?, ?, ?)');
  for (const v of p.versions) {
    add.run(id, v.datasetId, v.versionId);
    // A training set a model was trained on must not change under it.
    freezeVersion(db, v.versionId, p.createdAt);
  }
  return id;
}

export function listPlans(db: ReadableDB, modelId?: number): PlanView[] {
  const plans = db
    .prepare(
      `SELECT p.id, p.name, p.model_id, m.name AS model_name, p.parameter_values, p.notes, p.created_at, u.username AS created_by
       FROM training_plans p JOIN models m ON m.id = p.model_id LEFT JOIN users u ON u.id = p.created_by
       ${modelId === undefined ? '' : 'WHERE p.model_id = ?'} ORDER BY p.id`,
    )
    .all(...(modelId === undefined ? [] : [modelId])) as {
    id: number;
    name: string;
    model_id: number;
    model_name: string;
    parameter_values: string;
    notes: string;
    created_at: string;
    created_by: string | null;
  }[];
  const sets = db
    .prepare('SELECT pd.plan_id, pd.dataset_id, d.name, v.version FROM plan_datasets pd JOIN datasets d ON d.id = pd.dataset_id JOIN dataset_versions v ON v.id = pd.version_id ORDER BY pd.dataset_id')
    .all() as { plan_id: number; dataset_id: number; name: string; version: number }[];
  return plans.map((p) => ({
    id: p.id,
    name: p.name,
    modelId: p.model_id,
    modelName: p.model_name,
    parameterValues: JSON.parse(p.parameter_values) as Record<string, string | number>,
    datasets: sets.filter((s) => s.plan_id === p.id).map((s) => ({ datasetId: s.dataset_id, name: s.name, version: s.version })),
    notes: p.notes,
    createdAt: p.created_at,
    createdBy: p.created_by,
  }));
}

const TEST_PURPOSES = new Set(['training_test', 'application_test']);

/**
 * The rules that tie a run to its training plan: the plan exists and is for the run's model,
 * and when the plan names test sets (training-test or application-test datasets among its
 * datasets) the run is recorded on one of them, at the version the plan froze. Returns the
 * version to record (the plan's, or the requested one when the plan names no test set).
 */
export function versionForPlannedRun(
  db: ReadableDB,
  req: { planId: number; modelId: number; modelName: string; datasetId: number; version?: number },
): ReturnType<typeof datasetVersion> {
  const plan = db.prepare('SELECT p.id, p.name, p.model_id, m.name AS model_name FROM training_plans p JOIN models m ON m.id = p.model_id WHERE p.id = ?').get(req.planId) as
    | { id: number; name: string; model_id: number; model_name: string }
    | undefined;
  if (!plan) throw new AppError('NOT_FOUND', `Training plan ${req.planId} does not exist.`, { field: 'planId' });
  if (plan.model_id !== req.modelId) {
    throw new AppError('VALIDATION', `Training plan "${plan.name}" is for model "${plan.model_name}", not for model "${req.modelName}": pick a plan of "${req.modelName}" or run "${plan.model_name}".`, {
      field: 'modelId',
      planModel: plan.model_name,
      runModel: req.modelName,
    });
  }
  const named = db
    .prepare('SELECT pd.dataset_id, d.name, d.purpose, v.version FROM plan_datasets pd JOIN datasets d ON d.id = pd.dataset_id JOIN dataset_versions v ON v.id = pd.version_id WHERE pd.plan_id = ? ORDER BY pd.dataset_id')
    .all(plan.id) as { dataset_id: number; name: string; purpose: string; version: number }[];
  const tests = named.filter((d) => TEST_PURPOSES.has(d.purpose));
  if (tests.length === 0) return datasetVersion(db, req.datasetId, req.version);
  const list = tests.map((t) => `"${t.name}" v${t.version}`).join(', ');
  const match = tests.find((t) => t.dataset_id === req.datasetId);
  if (!match) {
    const asked = datasetVersion(db, req.datasetId, req.version);
    throw new AppError('VALIDATION', `Training plan "${plan.name}" names the test set ${list}; a run of this plan cannot use "${asked.dataset_name}".`, { field: 'datasetId' });
  }
  if (req.version !== undefined && req.version !== match.version) {
    throw new AppError('VALIDATION', `Training plan "${plan.name}" names "${match.name}" version ${match.version}; a run of this plan cannot use version ${req.version}.`, { field: 'version' });
  }
  return datasetVersion(db, match.dataset_id, match.version);
}
