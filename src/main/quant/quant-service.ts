import type { ParsedRequestOf, QuantMatrixView, QuantRankRow, QuantRankView, QuantUpdateResult, RunView } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { MISSED, parseQuantMatrix, type QuantMatrix } from '../../shared/quant/matrix';
import { canonicalJson } from '../audit/canonical';
import type { ReadableDB } from '../db/types';
import { latestImport, latestSnapshot } from '../evaluation/runs-repository';
import { mustRun, runView } from '../evaluation/runs-service';
import { computeRun, currentInputs, freshSnapshot, hashInputs, staleReasons, storeComputation, type SnapshotFigures, type SnapshotInputs, type Writer } from '../evaluation/snapshots';
import type { CallContext } from '../ipc/registry';
import { listStandards } from '../registries/registries-repository';
import {
  detail,
  disableMatrix,
  endLink,
  endRescoring,
  getMatrixRow,
  hasRescoring,
  insertLink,
  insertMatrix,
  insertRescoring,
  newestRows,
  nameTaken,
  openLinks,
  openLinksOfStandard,
  openRescorings,
  runImageValues,
  statusOf,
  toView,
  updateMatrixInPlace,
  type MatrixContent,
  type MatrixRow,
} from './quant-repository';

/**
 * The quantified-label registry (DESIGN §2.6, issue 7). Every write is one `ctx.write`: the
 * change and its audit entry commit together. The database enforces the versioning rule
 * (migration 0007); the service decides between editing in place and appending a version.
 */

const nowOf = (ctx: CallContext) => new Date(ctx.app.clock.now()).toISOString();
const userOf = (ctx: CallContext) => ctx.session?.userId ?? null;

type MatrixFields = Pick<ParsedRequestOf<'quant:create'>, 'name' | 'description' | 'classes' | 'definition'>;

/**
 * Checks a matrix against the classes it says it covers: class names unique, every row and
 * column of `values` (and every key of a per-class `spurious`) one of them or `missed`. Pairs
 * not listed take `default`, so every class is covered or defaulted by construction.
 */
export function validateContent(req: MatrixFields): MatrixContent {
  const name = req.name.trim();
  const classes = req.classes.map((c) => c.trim());
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of classes) {
    if (seen.has(c)) problems.push(`classes: "${c}" is listed twice`);
    seen.add(c);
  }
  const { values } = req.definition;
  for (const [truth, row] of Object.entries(values)) {
    if (!seen.has(truth)) problems.push(`definition.values.${truth}: "${truth}" is not one of the classes`);
    for (const predicted of Object.keys(row)) {
      if (predicted !== MISSED && !seen.has(predicted)) problems.push(`definition.values.${truth}.${predicted}: "${predicted}" is neither a class nor "${MISSED}"`);
    }
  }
  const { spurious } = req.definition;
  if (spurious !== undefined && typeof spurious !== 'number') {
    for (const c of Object.keys(spurious)) if (!seen.has(c)) problems.push(`definition.spurious.${c}: "${c}" is not one of the classes`);
  }
  if (problems.length > 0) throw new AppError('VALIDATION', problems.join('; '), { problems });
  // The stored JSON is the DESIGN §7 file format, named like the matrix.
  const matrix: QuantMatrix = parseQuantMatrix({ ...req.definition, name }, name);
  return { name, description: req.description, classes, matrix };
}

function mustMatrix(db: ReadableDB, id: number, field = 'id'): MatrixRow {
  const row = getMatrixRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', `Quantified label ${id} does not exist.`, { field });
  return row;
}

/** The newest, enabled version: the only one that may be edited, linked or used for re-scoring. */
function mustActive(db: ReadableDB, id: number, action: string, field = 'id'): MatrixRow {
  const row = mustMatrix(db, id, field);
  const status = statusOf(row);
  if (status === 'disabled') throw new AppError('CONFLICT', `Quantified label "${row.name}" is disabled; it can no longer be ${action}.`, { field });
  if (status === 'superseded') throw new AppError('CONFLICT', `"${row.name}" v${row.version} has been replaced by v${row.newest}; use the newest version.`, { field });
  return row;
}

const sameContent = (row: MatrixRow, c: MatrixContent) =>
  row.name === c.name && row.description === c.description && canonicalJson(JSON.parse(row.classes)) === canonicalJson(c.classes) && canonicalJson(JSON.parse(row.matrix)) === canonicalJson(c.matrix);

export function listMatrices(db: ReadableDB): QuantMatrixView[] {
  return newestRows(db).map((r) => toView(db, r));
}

export function getMatrix(db: ReadableDB, id: number) {
  return detail(db, mustMatrix(db, id));
}

export function createMatrix(ctx: CallContext, req: MatrixFields): QuantMatrixView {
  const content = validateContent(req);
  if (nameTaken(ctx.app.db, content.name, null)) throw new AppError('CONFLICT', `A quantified label named "${content.name}" exists already.`, { field: 'name' });
  const id = ctx.write(
    (newId: number) => ({ type: 'quantMatrix', id: newId, details: { name: content.name, version: 1, classes: content.classes, matrix: content.matrix } }),
    (w) => insertMatrix(w, { ...content, version: 1, createdBy: userOf(ctx), createdAt: nowOf(ctx) }),
  );
  return toView(ctx.app.db, mustMatrix(ctx.app.db, id));
}

export function updateMatrix(ctx: CallContext, req: ParsedRequestOf<'quant:update'>): QuantUpdateResult {
  const { db } = ctx.app;
  const row = mustActive(db, req.id, 'edited');
  const content = validateContent(req);
  if (sameContent(row, content)) return { matrix: toView(db, row), newVersion: false };
  const now = nowOf(ctx);
  if (row.used_at === null) {
    if (content.name !== row.name) {
      if (row.version > 1) throw new AppError('VALIDATION', `Earlier versions of "${row.name}" carry its name; it cannot be renamed.`, { field: 'name' });
      if (nameTaken(db, content.name, row.id)) throw new AppError('CONFLICT', `A quantified label named "${content.name}" exists already.`, { field: 'name' });
    }
    ctx.write({ type: 'quantMatrix', id: row.id, details: { inPlace: true, version: row.version, name: content.name, classes: content.classes, matrix: content.matrix } }, (w) =>
      updateMatrixInPlace(w, row.id, content, now),
    );
    return { matrix: toView(db, mustMatrix(db, row.id)), newVersion: false };
  }
  if (content.name !== row.name) {
    throw new AppError('VALIDATION', `"${row.name}" has been used to score runs, so it keeps its name; create a new quantified label for another name.`, { field: 'name' });
  }
  const version = row.newest + 1;
  const carried = { links: openLinks(db, row.id).map((l) => l.standard_id), rescoredRuns: openRescorings(db, row.id).map((r) => r.run_id) };
  const id = ctx.write(
    (newId: number) => ({ type: 'quantMatrix', id: newId, details: { previous: row.id, version, classes: content.classes, matrix: content.matrix, carried } }),
    (w) => {
      const newId = insertMatrix(w, { ...content, version, createdBy: userOf(ctx), createdAt: now });
      // The new version takes the old one's place: its standards and re-scored runs now use it,
      // which makes their snapshots stale (DESIGN §4.1) until they are viewed or re-scored.
      for (const link of openLinks(w, row.id)) {
        endLink(w, link.id, now);
        insertLink(w, newId, link.standard_id, now);
      }
      for (const r of openRescorings(w, row.id)) {
        endRescoring(w, r.id, now);
        insertRescoring(w, r.run_id, newId, userOf(ctx), now);
      }
      return newId;
    },
  );
  return { matrix: toView(db, mustMatrix(db, id)), newVersion: true };
}

export function disable(ctx: CallContext, id: number): QuantMatrixView {
  const { db } = ctx.app;
  const row = mustMatrix(db, id);
  if (statusOf(row) === 'superseded') throw new AppError('CONFLICT', `"${row.name}" v${row.version} has been replaced by v${row.newest}; disable the newest version.`, { field: 'id' });
  if (row.disabled_at === null) {
    ctx.write({ type: 'quantMatrix', id: row.id, details: { disabled: true, name: row.name, version: row.version } }, (w) => disableMatrix(w, row.id, nowOf(ctx)));
  }
  return toView(db, mustMatrix(db, row.id));
}

export function link(ctx: CallContext, matrixId: number, standardId: number): QuantMatrixView {
  const { db } = ctx.app;
  const row = mustActive(db, matrixId, 'linked', 'matrixId');
  const standard = listStandards(db).find((s) => s.id === standardId);
  if (!standard) throw new AppError('NOT_FOUND', `Test standard ${standardId} does not exist.`, { field: 'standardId' });
  if (standard.disabled) throw new AppError('CONFLICT', `Test standard "${standard.name}" is disabled.`, { field: 'standardId' });
  const open = openLinksOfStandard(db, standardId);
  if (open.some((l) => l.name === row.name)) throw new AppError('CONFLICT', `"${row.name}" is linked to "${standard.name}" already.`, { field: 'standardId' });
  // A quantified standard compares one score with its threshold: one active matrix at a time.
  const other = open.find((l) => getMatrixRow(db, l.matrix_id)?.disabled_at === null);
  if (standard.metric === 'quant' && other) {
    throw new AppError('CONFLICT', `The quantified standard "${standard.name}" is linked to "${other.name}"; unlink it first.`, { field: 'standardId' });
  }
  ctx.write(
    (linkId: number) => ({ type: 'quantLink', id: linkId, details: { matrixId: row.id, name: row.name, version: row.version, standardId, standard: standard.name } }),
    (w) => insertLink(w, row.id, standardId, nowOf(ctx)),
  );
  return toView(db, mustMatrix(db, row.id));
}

export function unlink(ctx: CallContext, matrixId: number, standardId: number): QuantMatrixView {
  const { db } = ctx.app;
  const row = mustMatrix(db, matrixId, 'matrixId');
  // Any version of the matrix: after a new version the link sits on the newest.
  const open = openLinksOfStandard(db, standardId).find((l) => l.name === row.name);
  if (!open) throw new AppError('NOT_FOUND', `"${row.name}" is not linked to test standard ${standardId}.`, { field: 'standardId' });
  ctx.write({ type: 'quantLink', id: open.id, details: { matrixId: open.matrix_id, name: row.name, version: open.version, standardId, standard: open.standard_name, unlinked: true } }, (w) =>
    endLink(w, open.id, nowOf(ctx)),
  );
  return toView(db, mustMatrix(db, open.matrix_id));
}

/**
 * Scores a run with a matrix from its stored predictions: records the re-scoring and appends a
 * snapshot whose inputs name the matrix version, in one audited transaction.
 */
export function rescore(ctx: CallContext, runId: number, matrixId: number): RunView {
  const { db } = ctx.app;
  const run = mustRun(db, runId);
  const row = mustActive(db, matrixId, 'used for scoring', 'matrixId');
  if (!latestImport(db, run.id)) throw new AppError('CONFLICT', `Run "${run.name}" has no imported results yet.`, { field: 'runId' });
  const now = nowOf(ctx);
  const userId = userOf(ctx);
  ctx.write({ type: 'run', id: run.id, details: { rescore: { matrixId: row.id, name: row.name, version: row.version } } }, (w) => {
    const inScope = currentInputs(w, run).quant.some((q) => q.matrixId === row.id);
    if (!inScope && !hasRescoring(w, run.id, row.id)) insertRescoring(w, run.id, row.id, userId, now);
    const latest = latestSnapshot(w, run.id);
    const inputs = currentInputs(w, run);
    if (latest && latest.hash === hashInputs(inputs)) return;
    const reasons = latest ? staleReasons(JSON.parse(latest.inputs) as SnapshotInputs, inputs) : [`scored with quantified label "${row.name}" v${row.version}`];
    storeComputation(w, run.id, computeRun(w, run, inputs), `re-scored: ${reasons.join('; ')}`, userId, now);
  });
  return runView(db, run, null);
}

/** Images ranked by their value across runs under one matrix version, the most costly first. */
export function rank(ctx: CallContext, req: ParsedRequestOf<'quant:rank'>): QuantRankView {
  const { db } = ctx.app;
  const row = mustMatrix(db, req.matrixId, 'matrixId');
  const runs = [...new Set(req.runIds)].map((id) => mustRun(db, id));
  const byImage = new Map<number, { name: string; trueClass: string | null; values: Record<number, number | null>; predicted: Record<number, string | null> }>();
  const rankRuns = runs.map((run) => {
    // As everywhere a run is read: a stale snapshot is regenerated first (DESIGN §4.1).
    const write: Writer = (details, fn) => ctx.write({ type: 'run', id: run.id, details }, fn);
    const { snapshot } = freshSnapshot(db, run.id, write, userOf(ctx), nowOf(ctx));
    const quant = snapshot ? (JSON.parse(snapshot.metrics) as SnapshotFigures).metrics.quant.find((q) => q.matrixId === row.id) : undefined;
    for (const v of runImageValues(db, run.id, row.id)) {
      const entry = byImage.get(v.image_id) ?? { name: v.original_name, trueClass: v.true_class, values: {}, predicted: {} };
      entry.values[run.id] = v.value;
      entry.predicted[run.id] = v.predicted_class;
      entry.trueClass ??= v.true_class;
      byImage.set(v.image_id, entry);
    }
    return { runId: run.id, name: run.name, scored: quant !== undefined, score: quant?.score ?? null };
  });
  const rows: QuantRankRow[] = [...byImage].map(([imageId, e]) => {
    const present = runs.map((r) => e.values[r.id]).filter((v): v is number => typeof v === 'number');
    for (const r of runs) {
      if (!(r.id in e.values)) {
        e.values[r.id] = null;
        e.predicted[r.id] = null;
      }
    }
    return { imageId, imageName: e.name, trueClass: e.trueClass, values: e.values, predicted: e.predicted, mean: present.reduce((s, v) => s + v, 0) / present.length, min: Math.min(...present) };
  });
  rows.sort((a, b) => a.mean - b.mean || a.min - b.min || a.imageId - b.imageId);
  return { matrix: { id: row.id, name: row.name, version: row.version }, runs: rankRuns, rows: rows.slice(0, req.limit), total: rows.length };
}
