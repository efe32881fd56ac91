import fs from 'node:fs';
import path from 'node:path';
import type { DatasetSummary, RunImportResult, StaleReport } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { findByName, getDataset, insertDataset, insertVersion } from '../datasets/datasets-repository';
import type { CallContext, HandlerMap } from '../ipc/registry';
import { getModel, listStandards } from '../registries/registries-repository';
import { drill } from './drill';
import { activeDropFolder, activeDropFolders, disableDropFolder, insertDropFolder } from './drop-folder-repository';
import { dropFolderView, dropFolderWatcher } from './drop-folder';
import { imageBoxes, runCurves } from './overlays';
import { copyGroundTruth, groundTruthView, prepareGroundTruth, storeGroundTruth } from './ground-truth';
import { checkLeakage } from './leakage';
import { datasetVersion, freezeVersion, insertPlan, listPlans, validateParameterValues, versionForPlannedRun } from './plans';
import { cancelRunner, currentRunner, listRunners, registerRunner, runCommand } from './runner';
import { getRun, insertImport, insertRun, listRuns, type RunRow } from './runs-repository';
import { compareRuns, detailRuns, importReport, mustRun, prepareResults, runSummary, runView, type PreparedResults } from './runs-service';
import { computeRun, DEFAULT_IOU, freshSnapshot, storeComputation, versionImageIds, type Writer } from './snapshots';
import { splitImages } from './splits';

type EvaluationChannels =
  | 'groundTruth:import'
  | 'groundTruth:get'
  | 'plans:create'
  | 'plans:list'
  | 'leakage:check'
  | 'runs:create'
  | 'runs:list'
  | 'runs:get'
  | 'runs:importResults'
  | 'runs:compare'
  | 'runs:drill'
  | 'runs:detail'
  | 'runs:curves'
  | 'runs:imageBoxes'
  | 'datasets:split'
  | 'runner:register'
  | 'runner:list'
  | 'runner:start'
  | 'runner:cancel'
  | 'dropFolders:list'
  | 'dropFolders:create'
  | 'dropFolders:disable';

const nowOf = (ctx: CallContext) => new Date(ctx.app.clock.now()).toISOString();

function mustModel(ctx: CallContext, id: number) {
  const model = getModel(ctx.app.db, id);
  if (!model) throw new AppError('NOT_FOUND', `Model ${id} does not exist.`, { field: 'modelId' });
  return model;
}

/** Regenerations on view are writes: each is one audited transaction (DESIGN §4.1, §4.4). */
function regenerate(ctx: CallContext, runId: number): StaleReport | null {
  const write: Writer = (details, fn) => ctx.write({ type: 'run', id: runId, details }, fn);
  return freshSnapshot(ctx.app.db, runId, write, ctx.session?.userId ?? null, nowOf(ctx)).stale;
}

/** Stores checked predictions and computes the figures in one transaction, or returns the problem report. */
function importInto(ctx: CallContext, run: RunRow, prepared: PreparedResults, acceptPartial: boolean): RunImportResult {
  const { db } = ctx.app;
  if ((prepared.problems.length > 0 && !acceptPartial) || prepared.rows.length === 0) {
    const report = importReport(prepared, 0);
    return {
      imported: false,
      report: prepared.rows.length === 0 && prepared.problems.length === 0 ? { ...report, problems: [{ file: prepared.file, line: null, field: null, problem: 'the file has no rows' }] } : report,
    };
  }
  const now = nowOf(ctx);
  ctx.write({ type: 'run', id: run.id, details: { file: prepared.file, rows: prepared.rowsTotal, accepted: prepared.rows.length, refused: prepared.problems.length } }, (w) => {
    insertImport(w, {
      runId: run.id,
      sourceName: prepared.file,
      contentHash: prepared.contentHash,
      rowsTotal: prepared.rowsTotal,
      refused: prepared.problems,
      rows: prepared.rows,
      importedBy: ctx.session?.userId ?? null,
      importedAt: now,
    });
    // Computed in the same transaction: predictions never exist without their figures.
    storeComputation(w, run.id, computeRun(w, run), `results imported (${prepared.file})`, ctx.session?.userId ?? null, now);
  });
  return { imported: true, run: runView(db, run, null), report: importReport(prepared, prepared.rows.length) };
}

export const evaluationHandlers: HandlerMap<EvaluationChannels> = {
  'groundTruth:import': (ctx, req) => {
    const { db } = ctx.app;
    if (!getDataset(db, req.datasetId)) throw new AppError('NOT_FOUND', `Dataset ${req.datasetId} does not exist.`, { field: 'datasetId' });
    const prepared = prepareGroundTruth(db, req.datasetId, req.task, req.source);
    const report = { file: prepared.file, rowsTotal: prepared.rowsTotal, rowsAccepted: 0, problems: prepared.problems };
    if ((prepared.problems.length > 0 && !req.acceptPartial) || prepared.items.length === 0) {
      return { imported: false as const, report: prepared.items.length === 0 && prepared.problems.length === 0 ? { ...report, problems: [{ file: prepared.file, line: null, field: null, problem: 'the file has no rows' }] } : report };
    }
    const setId = ctx.write(
      (id: number) => ({ type: 'groundTruth', id, details: { datasetId: req.datasetId, task: req.task, file: prepared.file, mode: req.mode, items: prepared.items.length, refused: prepared.problems.length } }),
      (w) =>
        storeGroundTruth(w, {
          datasetId: req.datasetId,
          task: req.task,
          sourceName: prepared.file,
          mode: req.mode,
          items: prepared.items,
          refused: prepared.problems,
          createdBy: ctx.session?.userId ?? null,
          createdAt: nowOf(ctx),
        }),
    );
    const groundTruth = groundTruthView(db, req.datasetId, req.task);
    if (!groundTruth || groundTruth.id !== setId) throw new AppError('INTERNAL', 'The stored ground truth could not be read back.');
    return { imported: true as const, groundTruth, report: { ...report, rowsAccepted: prepared.items.length } };
  },

  'groundTruth:get': (ctx, req) => groundTruthView(ctx.app.db, req.datasetId, req.task),

  'plans:create': (ctx, req) => {
    const { db } = ctx.app;
    mustModel(ctx, req.modelId);
    validateParameterValues(db, req.parameterValues);
    const versions = req.datasets.map((d) => ({ datasetId: d.datasetId, versionId: datasetVersion(db, d.datasetId, d.version).id }));
    const id = ctx.write(
      (newId: number) => ({ type: 'plan', id: newId, details: req }),
      (w) => insertPlan(w, { name: req.name, modelId: req.modelId, values: req.parameterValues, versions, notes: req.notes, createdBy: ctx.session?.userId ?? null, createdAt: nowOf(ctx) }),
    );
    const plan = listPlans(db).find((p) => p.id === id);
    if (!plan) throw new AppError('INTERNAL', 'The plan could not be read back.');
    return plan;
  },

  'plans:list': (ctx, req) => listPlans(ctx.app.db, req.modelId),

  'leakage:check': (ctx, req) => {
    mustModel(ctx, req.modelId);
    return checkLeakage(ctx.app.db, req.modelId, datasetVersion(ctx.app.db, req.datasetId, req.version).id);
  },

  'runs:create': (ctx, req) => {
    const { db } = ctx.app;
    const model = mustModel(ctx, req.modelId);
    validateParameterValues(db, req.parameterValues);
    const version =
      req.planId !== null
        ? versionForPlannedRun(db, { planId: req.planId, modelId: model.id, modelName: model.name, datasetId: req.datasetId, ...(req.version === undefined ? {} : { version: req.version }) })
        : datasetVersion(db, req.datasetId, req.version);
    if (version.purpose !== 'training_test' && version.purpose !== 'application_test') {
      throw new AppError('VALIDATION', `"${version.dataset_name}" is a ${version.purpose.replace('_', '-')} dataset; a test run needs a training-test or application-test set.`, { field: 'datasetId' });
    }
    const standards = listStandards(db);
    for (const sid of req.standardIds) {
      const s = standards.find((x) => x.id === sid);
      if (!s) throw new AppError('NOT_FOUND', `Test standard ${sid} does not exist.`, { field: 'standardIds' });
      if (s.disabled) throw new AppError('VALIDATION', `Test standard "${s.name}" is disabled.`, { field: 'standardIds' });
    }
    if (req.iou !== null && model.task !== 'detection') throw new AppError('VALIDATION', 'An IoU threshold applies to detection models only.', { field: 'iou' });
    const leakage = checkLeakage(db, req.modelId, version.id);
    if (!leakage.clean && !req.confirmLeakage) {
      throw new AppError(
        'CONFLICT',
        `${leakage.testImageIds.length} test image(s) overlap the training sets of ${model.name}; fix the test set or confirm to record the run anyway.`,
        { leakage },
      );
    }
    const now = nowOf(ctx);
    const runId = ctx.write(
      (id: number) => ({ type: 'run', id, details: { ...req, leakageImages: leakage.testImageIds.length } }),
      (w) => {
        const id = insertRun(w, {
          name: req.name,
          modelId: model.id,
          planId: req.planId,
          datasetId: req.datasetId,
          versionId: version.id,
          task: model.task,
          iou: model.task === 'detection' ? (req.iou ?? DEFAULT_IOU) : null,
          parameterValues: req.parameterValues,
          leakage: leakage.clean ? null : leakage,
          notes: req.notes,
          standardIds: req.standardIds,
          createdBy: ctx.session?.userId ?? null,
          createdAt: now,
        });
        freezeVersion(w, version.id, now);
        return id;
      },
    );
    return runView(db, mustRun(db, runId), null);
  },

  'runs:list': (ctx, req) => listRuns(ctx.app.db, req).map((r) => runSummary(ctx.app.db, r)),

  'runs:get': (ctx, req) => {
    const run = mustRun(ctx.app.db, req.id);
    const stale = regenerate(ctx, run.id);
    return runView(ctx.app.db, run, stale);
  },

  'runs:importResults': (ctx, req) => {
    const run = mustRun(ctx.app.db, req.runId);
    return importInto(ctx, run, prepareResults(ctx.app.db, run, req.source), req.acceptPartial);
  },

  'runs:compare': (ctx, req) => {
    const { db } = ctx.app;
    if (!req.runIds.includes(req.baselineId)) throw new AppError('VALIDATION', 'The baseline must be one of the compared runs.', { field: 'baselineId' });
    const runs = [...new Set(req.runIds)].map((id) => mustRun(db, id));
    const regenerated = new Map<number, string[]>();
    for (const run of runs) {
      const stale = regenerate(ctx, run.id);
      if (stale) regenerated.set(run.id, stale.reasons);
    }
    return compareRuns(db, runs, req.baselineId, regenerated);
  },

  'runs:drill': (ctx, req) => {
    const run = mustRun(ctx.app.db, req.runId);
    regenerate(ctx, run.id);
    if (!getRun(ctx.app.db, run.id) || runSummary(ctx.app.db, run).status !== 'computed') throw new AppError('CONFLICT', `Run "${run.name}" has no results yet.`);
    return drill(ctx.app.db, run, req.cell);
  },

  'runs:curves': (ctx, req) => {
    const run = mustRun(ctx.app.db, req.runId);
    regenerate(ctx, run.id);
    return runCurves(ctx.app.db, run);
  },

  'runs:imageBoxes': (ctx, req) => {
    const { db } = ctx.app;
    const runs = [...new Set(req.runIds)].map((id) => mustRun(db, id));
    // Only detection runs have boxes; a classification run answers with none, untouched.
    for (const run of runs) if (run.task === 'detection') regenerate(ctx, run.id);
    return imageBoxes(db, runs, req.imageId);
  },

  'runs:detail': (ctx, req) => {
    const { db } = ctx.app;
    const runs = [...new Set(req.runIds)].map((id) => mustRun(db, id));
    for (const run of runs) regenerate(ctx, run.id);
    return detailRuns(db, runs, req.metric, req.className);
  },

  'datasets:split': (ctx, req) => {
    const { db } = ctx.app;
    const version = datasetVersion(db, req.datasetId, req.version);
    const names = new Set<string>();
    for (const part of req.parts) {
      const key = part.name.toLowerCase();
      if (names.has(key) || findByName(db, part.name)) throw new AppError('CONFLICT', `A dataset named "${part.name}" exists already.`, { field: 'parts.name' });
      names.add(key);
    }
    const imageIds = versionImageIds(db, version.id);
    const split = splitImages(db, imageIds, req.parts, req.seed);
    const empty = req.parts.find((_, i) => (split[i] as number[]).length === 0);
    if (empty) throw new AppError('VALIDATION', `"${empty.name}" would get no image: the dataset has too few patients for ${req.parts.length} parts.`, { field: 'parts' });
    const now = nowOf(ctx);
    const userId = ctx.session?.userId ?? null;
    const ids = ctx.write(
      (created: number[]) => ({ type: 'dataset', id: req.datasetId, details: { split: req, created } }),
      (w) => {
        freezeVersion(w, version.id, now);
        return req.parts.map((part, i) => {
          const id = insertDataset(w, {
            name: part.name,
            purpose: part.purpose,
            description: `Split of "${version.dataset_name}" v${version.version} (seed "${req.seed}", ${Math.round(part.fraction * 100)}%), grouped by patient.`,
            source: { split: { datasetId: req.datasetId, version: version.version, seed: req.seed, part: i, fraction: part.fraction } },
            createdBy: userId,
            createdAt: now,
          });
          insertVersion(w, { datasetId: id, version: 1, imageIds: split[i] as number[], createdBy: userId, createdAt: now });
          copyGroundTruth(w, req.datasetId, id, split[i] as number[], userId, now);
          return id;
        });
      },
    );
    return ids.map((id) => getDataset(db, id) as DatasetSummary);
  },

  'runner:register': (ctx, req) => {
    mustModel(ctx, req.modelId);
    if (!path.isAbsolute(req.argv[0] as string) && !/^[A-Za-z0-9._-]+$/.test(req.argv[0] as string)) {
      throw new AppError('VALIDATION', 'The program must be an absolute path or a bare command name found on PATH.', { field: 'argv.0' });
    }
    const id = ctx.write(
      (newId: number) => ({ type: 'runner', id: newId, details: req }),
      (w) => registerRunner(w, { modelId: req.modelId, argv: req.argv, timeoutSeconds: req.timeoutSeconds, createdBy: ctx.session?.userId ?? null, createdAt: nowOf(ctx) }),
    );
    const runner = currentRunner(ctx.app.db, req.modelId);
    if (!runner || runner.id !== id) throw new AppError('INTERNAL', 'The runner could not be read back.');
    return runner;
  },

  'runner:list': (ctx) => listRunners(ctx.app.db),

  'runner:start': async (ctx, req) => {
    const run = mustRun(ctx.app.db, req.runId);
    const runner = currentRunner(ctx.app.db, run.model_id);
    if (!runner) throw new AppError('CONFLICT', `No runner is registered for model "${run.model_name}"; the algorithm admin registers one.`);
    const outcome = await runCommand(ctx.app, run, runner, (e) => ctx.emit('runner:log', e));
    let imported: RunImportResult | null = null;
    if (outcome.status === 'done') {
      imported = fs.existsSync(outcome.output)
        ? importInto(ctx, run, prepareResults(ctx.app.db, run, { path: outcome.output }), false)
        : { imported: false, report: { file: path.basename(outcome.output), rowsTotal: 0, rowsAccepted: 0, problems: [{ file: path.basename(outcome.output), line: null, field: null, problem: 'the command exited 0 but wrote no predictions file' }] } };
    }
    return { status: outcome.status, exitCode: outcome.exitCode, logTail: outcome.logTail, import: imported };
  },

  'runner:cancel': (ctx, req) => ({ cancelled: cancelRunner(ctx.app, req.runId) }),

  'dropFolders:list': (ctx) => {
    dropFolderWatcher(ctx.app)?.addListener(ctx.sender.id);
    return activeDropFolders(ctx.app.db).map((f) => dropFolderView(ctx.app, f));
  },

  'dropFolders:create': (ctx, req) => {
    const { db } = ctx.app;
    const run = mustRun(db, req.runId);
    if (!path.isAbsolute(req.path)) throw new AppError('VALIDATION', `The drop folder "${req.path}" must be an absolute path.`, { field: 'path' });
    const folder = path.resolve(req.path);
    if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new AppError('VALIDATION', `The drop folder "${folder}" does not exist or is not a folder.`, { field: 'path' });
    const inside = (root: string) => folder === root || folder.startsWith(root + path.sep);
    if (inside(path.resolve(ctx.app.workspace.root))) throw new AppError('VALIDATION', `The drop folder "${folder}" is inside the MIDC workspace; choose a folder outside it.`, { field: 'path' });
    if (activeDropFolders(db).some((f) => f.path === folder)) throw new AppError('CONFLICT', `"${folder}" is already a drop folder.`, { field: 'path' });
    const id = ctx.write(
      (newId: number) => ({ type: 'dropFolder', id: newId, details: { path: folder, runId: run.id, mode: req.mode, acceptPartial: req.acceptPartial } }),
      (w) => insertDropFolder(w, { path: folder, mode: req.mode, runId: run.id, acceptPartial: req.acceptPartial, createdBy: ctx.session?.userId ?? null, createdAt: nowOf(ctx) }),
    );
    const watcher = dropFolderWatcher(ctx.app);
    watcher?.addListener(ctx.sender.id);
    watcher?.refresh();
    const row = activeDropFolder(db, id);
    if (!row) throw new AppError('INTERNAL', 'The drop folder could not be read back.');
    return dropFolderView(ctx.app, row);
  },

  'dropFolders:disable': (ctx, req) => {
    if (!activeDropFolder(ctx.app.db, req.id)) throw new AppError('NOT_FOUND', `Drop folder ${req.id} does not exist or is disabled already.`, { field: 'id' });
    const disabled = ctx.write({ type: 'dropFolder', id: req.id }, (w) => disableDropFolder(w, req.id, nowOf(ctx)));
    dropFolderWatcher(ctx.app)?.refresh();
    return { disabled };
  },
};
