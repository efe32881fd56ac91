import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillView, QuantMatrixDetail, QuantMatrixView, QuantRankView, QuantUpdateResult, RunImportResult, RunView } from '../../shared/contract';
import { seedAndLogin } from '../../../test/helpers/workspace';
import { latestSnapshot } from '../evaluation/runs-repository';
import type { SnapshotFigures } from '../evaluation/snapshots';
import { prng, writeSyntheticImages } from '../evaluation/synthetic-images';
import { createWorld, type Window, type World } from '../evaluation/test-support/world';

/**
 * Issue 7 through the channels: the pedestrian-braking example of DESIGN §2.6 scored by hand,
 * versioning, re-scoring, ranking, links and their audit, and the identity-matrix property.
 */

let w: World;
let quinn: Window;
let names: string[];
let datasetId: number;
let modelId: number;
let brakingStandard: number;
let accuracyStandard: number;

// Eight images: p1..p4 are people, f1, f2 3D figures, q1, q2 flat pictures (DESIGN §2.6).
const KEYS = ['p1', 'p2', 'p3', 'p4', 'f1', 'f2', 'q1', 'q2'] as const;
const TRUTH: Record<(typeof KEYS)[number], string> = { p1: 'person', p2: 'person', p3: 'person', p4: 'person', f1: 'figure3d', f2: 'figure3d', q1: 'picture', q2: 'picture' };
// What the model said; p4 has no prediction (missed).
const PREDICTED: Partial<Record<(typeof KEYS)[number], string>> = { p1: 'person', p2: 'figure3d', p3: 'picture', f1: 'figure3d', f2: 'person', q1: 'picture', q2: 'person' };

const PEDESTRIAN = {
  name: 'pedestrian-braking',
  description: 'What each outcome of the pedestrian detector is worth to the braking system.',
  classes: ['person', 'figure3d', 'picture'],
  definition: {
    default: 1,
    values: {
      person: { person: 2, figure3d: 1, picture: 0.5, missed: 0 },
      figure3d: { figure3d: 2, person: 1, missed: 0 },
      picture: { picture: 2, missed: 0 },
    },
  },
};

const key = (k: (typeof KEYS)[number]) => names[KEYS.indexOf(k)] as string;
const imageOf = (k: (typeof KEYS)[number]) => w.imageId(key(k));

function predictionsCsv(predicted: Record<string, string | undefined>): string {
  const rows = KEYS.filter((k) => predicted[k] !== undefined).map((k) => `${key(k)},${predicted[k] as string}`);
  return ['image_key,class', ...rows].join('\n');
}

async function newRun(name: string, predicted: Record<string, string | undefined>, standardIds: number[]): Promise<RunView> {
  const run = await w.ok<RunView>(w.engineer, 'runs:create', { name, modelId, datasetId, standardIds });
  const r = await w.ok<RunImportResult>(w.engineer, 'runs:importResults', { runId: run.id, source: { name: `${name}.csv`, text: predictionsCsv(predicted) } });
  if (!r.imported) throw new Error(`import refused: ${JSON.stringify(r.report.problems)}`);
  return r.run;
}

const auditOf = (action: string) =>
  w.app.services.db.prepare('SELECT actor_name, object_type, object_id, outcome, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as {
    actor_name: string;
    object_type: string | null;
    object_id: string | null;
    outcome: number;
    details: string | null;
  }[];

beforeAll(async () => {
  w = await createWorld();
  ({ quinn } = await seedAndLogin(w.app, { quinn: ['quant_user'] }));
  const images = writeSyntheticImages(path.join(w.files, 'images'), KEYS.length, ['a'], 11, 'ped');
  await w.importFiles(images.map((i) => i.file));
  names = images.map((i) => path.basename(i.file));
  const ids = names.map((n) => w.imageId(n));
  datasetId = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'Crossing scenes', purpose: 'application_test', filter: { ids } })).id;
  const gt = ['image_key,class', ...KEYS.map((k) => `${key(k)},${TRUTH[k]}`)].join('\n');
  await w.ok(w.engineer, 'groundTruth:import', { datasetId, task: 'classification', source: { name: 'gt.csv', text: gt } });
  modelId = (await w.ok<{ id: number }>(w.admin, 'models:create', { name: 'PedNet', task: 'classification' })).id;
  brakingStandard = (await w.ok<{ id: number }>(w.admin, 'standards:create', { name: 'Braking value ≥ 1', metric: 'quant', threshold: 1 })).id;
  accuracyStandard = (await w.ok<{ id: number }>(w.admin, 'standards:create', { name: 'Accuracy ≥ 0.5', metric: 'accuracy', threshold: 0.5 })).id;
});
afterAll(() => w.cleanup());

describe('quantified labels end to end', () => {
  let matrix: QuantMatrixView;
  let run: RunView;

  it('a quantified-label user creates the pedestrian-braking matrix; the stored definition is the DESIGN §7 format', async () => {
    matrix = await w.ok<QuantMatrixView>(quinn, 'quant:create', PEDESTRIAN);
    expect(matrix).toMatchObject({ name: 'pedestrian-braking', version: 1, status: 'active', usedAt: null, classes: ['person', 'figure3d', 'picture'], links: [], versions: 1 });
    expect(matrix.definition).toEqual({ name: 'pedestrian-braking', ...PEDESTRIAN.definition });
    const engineerView = await w.ok<QuantMatrixView[]>(w.engineer, 'quant:list', {});
    expect(engineerView.map((m) => m.name)).toEqual(['pedestrian-braking']);
    const denied = await w.app.dispatch(w.engineer, 'quant:create', { ...PEDESTRIAN, name: 'mine' });
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses matrices that name unknown classes, a class called missed, non-numbers and duplicates', async () => {
    const bad = async (payload: unknown) => {
      const r = await w.app.dispatch(quinn, 'quant:create', payload);
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      return r.ok ? '' : r.error.message;
    };
    expect(await bad({ ...PEDESTRIAN, name: 'x1', definition: { default: 1, values: { cyclist: { person: 1 } } } })).toMatch(/definition\.values\.cyclist: "cyclist" is not one of the classes/);
    expect(await bad({ ...PEDESTRIAN, name: 'x2', definition: { default: 1, values: { person: { bus: 1 } } } })).toMatch(/"bus" is neither a class nor "missed"/);
    expect(await bad({ ...PEDESTRIAN, name: 'x3', classes: ['person', 'missed'] })).toMatch(/may not be called "missed"/);
    expect(await bad({ ...PEDESTRIAN, name: 'x4', definition: { default: 1, values: { person: { person: 'two' } } } })).toMatch(/definition\.values\.person\.person/);
    expect(await bad({ ...PEDESTRIAN, name: 'x5', definition: { values: {} } })).toMatch(/definition\.default/);
    expect(await bad({ ...PEDESTRIAN, name: 'x6', classes: ['person', 'person'] })).toMatch(/"person" is listed twice/);
    expect(await w.app.dispatch(quinn, 'quant:create', PEDESTRIAN)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('links the matrix to a standard, audited as the quantified-label user', async () => {
    matrix = await w.ok<QuantMatrixView>(quinn, 'quant:link', { matrixId: matrix.id, standardId: brakingStandard });
    expect(matrix.links).toEqual([expect.objectContaining({ standardId: brakingStandard, standardName: 'Braking value ≥ 1', standardMetric: 'quant' })]);
    const [entry] = auditOf('quant:link').filter((a) => a.outcome === 0);
    expect(entry).toMatchObject({ actor_name: 'quinn', object_type: 'quantLink' });
    expect(JSON.parse(entry?.details ?? '{}')).toMatchObject({ matrixId: matrix.id, standardId: brakingStandard, version: 1 });
    expect(await w.app.dispatch(quinn, 'quant:link', { matrixId: matrix.id, standardId: brakingStandard })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('scores the pedestrian run exactly: person 0.875, figure3d 1.5, picture 1.5, overall 1.1875', async () => {
    run = await newRun('PedNet v1', PREDICTED, [brakingStandard, accuracyStandard]);
    const quant = run.metrics?.quant;
    // person (2 + 1 + 0.5 + 0 missed)/4; figure3d (2 + 1)/2; picture (2 + 1 by default)/2; all 9.5/8.
    expect(quant).toEqual([
      { name: 'pedestrian-braking', matrixId: matrix.id, version: 1, score: 1.1875, perClass: { figure3d: { score: 1.5 }, person: { score: 0.875 }, picture: { score: 1.5 } } },
    ]);
    expect(run.standards.find((s) => s.standardId === brakingStandard)).toMatchObject({ value: 1.1875, pass: true });
    // The accuracy standard has no matrix linked: it reads accuracy, never a quantified score.
    expect(run.standards.find((s) => s.standardId === accuracyStandard)).toMatchObject({ value: 3 / 8 });
    // First use: the version may no longer change in place.
    expect((await w.ok<QuantMatrixDetail>(quinn, 'quant:get', { id: matrix.id })).matrix.usedAt).not.toBeNull();
  });

  it('ranks the images by value, most costly first, and the quant drill lists them cheapest first', async () => {
    const view = await w.ok<QuantRankView>(w.engineer, 'quant:rank', { runIds: [run.id], matrixId: matrix.id });
    expect(view.runs).toEqual([{ runId: run.id, name: 'PedNet v1', scored: true, score: 1.1875 }]);
    expect(view.rows.map((r) => [r.imageName, r.values[run.id]])).toEqual(
      [
        ['p4', 0],
        ['p3', 0.5],
        ['p2', 1],
        ['f2', 1],
        ['q2', 1],
        ['p1', 2],
        ['f1', 2],
        ['q1', 2],
      ]
        .map(([k, v]) => [key(k as (typeof KEYS)[number]), v, imageOf(k as (typeof KEYS)[number])] as const)
        .sort((a, b) => (a[1] as number) - (b[1] as number) || a[2] - b[2])
        .map(([n, v]) => [n, v]),
    );
    expect(view.rows[0]).toMatchObject({ trueClass: 'person', predicted: { [run.id]: null } });
    const drill = await w.ok<DrillView>(w.engineer, 'runs:drill', { runId: run.id, cell: { metric: 'quant', matrixId: matrix.id, max: 0.5 } });
    expect(drill.sets.images).toEqual([imageOf('p4'), imageOf('p3')]);
    const tags = await w.ok<{ runId: number; value: number }[]>(w.engineer, 'quant:imageValues', { imageId: imageOf('p3') });
    expect(tags).toEqual([{ runId: run.id, runName: 'PedNet v1', matrixId: matrix.id, name: 'pedestrian-braking', version: 1, value: 0.5 }]);
  });

  it('editing a used matrix makes a new version; the old run keeps its score until it is re-scored', async () => {
    // Missing a person now costs -1.
    const edited = { ...PEDESTRIAN, definition: { ...PEDESTRIAN.definition, values: { ...PEDESTRIAN.definition.values, person: { ...PEDESTRIAN.definition.values.person, missed: -1 } } } };
    const r = await w.ok<QuantUpdateResult>(quinn, 'quant:update', { id: matrix.id, ...edited });
    expect(r).toMatchObject({ newVersion: true, matrix: { name: 'pedestrian-braking', version: 2, status: 'active', usedAt: null, versions: 2 } });
    expect(r.matrix.links.map((l) => l.standardId)).toEqual([brakingStandard]);
    const history = await w.ok<QuantMatrixDetail>(quinn, 'quant:get', { id: matrix.id });
    expect(history.versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'active'],
      [1, 'superseded'],
    ]);
    expect(history.versions[1]?.definition.values.person?.missed).toBe(0);
    expect(history.linkHistory.map((l) => [l.version, l.unlinkedAt === null])).toEqual([
      [2, true],
      [1, false],
    ]);
    // Nothing touched the run: its stored snapshot still has v1's score.
    const stored = JSON.parse((latestSnapshot(w.app.services.db, run.id) as { metrics: string }).metrics) as SnapshotFigures;
    expect(stored.metrics.quant).toEqual([expect.objectContaining({ matrixId: matrix.id, version: 1, score: 1.1875 })]);
    // An old version can no longer be edited, linked or used for scoring.
    expect(await w.app.dispatch(quinn, 'quant:update', { id: matrix.id, ...edited })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await w.app.dispatch(w.engineer, 'quant:rescore', { runId: run.id, matrixId: matrix.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    // Re-scoring applies v2: (2 + 1 + 0.5 - 1 + 3 + 3)/8 = 8.5/8; person 2.5/4.
    const rescored = await w.ok<RunView>(w.engineer, 'quant:rescore', { runId: run.id, matrixId: r.matrix.id });
    expect(rescored.metrics?.quant).toEqual([expect.objectContaining({ matrixId: r.matrix.id, version: 2, score: 1.0625, perClass: { figure3d: { score: 1.5 }, person: { score: 0.625 }, picture: { score: 1.5 } } })]);
    expect(rescored.snapshot?.reason).toMatch(/quantified label "pedestrian-braking" has a new version \(v1 → v2\)/);
    expect(rescored.history.length).toBe(2);
    matrix = r.matrix;
  });

  it('edits an unused matrix in place', async () => {
    const draft = await w.ok<QuantMatrixView>(quinn, 'quant:create', { ...PEDESTRIAN, name: 'draft' });
    const r = await w.ok<QuantUpdateResult>(quinn, 'quant:update', { id: draft.id, ...PEDESTRIAN, name: 'draft renamed', definition: { ...PEDESTRIAN.definition, default: 0 } });
    expect(r).toMatchObject({ newVersion: false, matrix: { id: draft.id, name: 'draft renamed', version: 1, versions: 1 } });
    expect(r.matrix.definition).toMatchObject({ name: 'draft renamed', default: 0 });
    expect(auditOf('quant:update').at(-1)).toMatchObject({ actor_name: 'quinn', object_type: 'quantMatrix', object_id: String(draft.id) });
  });

  it('re-scores any run with any active matrix without re-importing, and ranks images across runs', async () => {
    const harsh = await w.ok<QuantMatrixView>(quinn, 'quant:create', {
      name: 'harsh',
      classes: ['person', 'figure3d', 'picture'],
      definition: { default: 0, values: { person: { person: 1 }, figure3d: { figure3d: 1 }, picture: { picture: 1 } } },
    });
    // A second run with no standards: p3 is now right, f1 wrong.
    const run2 = await newRun('PedNet v2', { ...PREDICTED, p3: 'person', f1: 'picture' }, []);
    expect(run2.metrics?.quant).toEqual([]);
    const imports = () => (w.app.services.db.prepare('SELECT count(*) AS n FROM run_imports').get() as { n: number }).n;
    const before = imports();
    const rescored = await w.ok<RunView>(w.engineer, 'quant:rescore', { runId: run2.id, matrixId: harsh.id });
    expect(imports()).toBe(before);
    // 1 for each right answer (p1, p3, q1), 0 otherwise: 3/8.
    expect(rescored.metrics?.quant).toEqual([expect.objectContaining({ name: 'harsh', score: 3 / 8 })]);
    expect(rescored.snapshot?.reason).toMatch(/re-scored with quantified label "harsh" v1/);
    // The re-scoring stays with the run: viewing it again changes nothing.
    const again = await w.ok<RunView>(w.engineer, 'runs:get', { id: run2.id });
    expect(again.stale).toBeNull();
    expect(again.metrics?.quant.map((q) => q.name)).toEqual(['harsh']);

    // Both runs under pedestrian-braking v2: run2 is re-scored with it too.
    await w.ok(w.engineer, 'quant:rescore', { runId: run2.id, matrixId: matrix.id });
    const view = await w.ok<QuantRankView>(w.engineer, 'quant:rank', { runIds: [run.id, run2.id], matrixId: matrix.id, limit: 3 });
    expect(view.total).toBe(8);
    expect(view.runs.map((r) => r.scored)).toEqual([true, true]);
    // Means over the two runs: p4 missed in both (-1, -1) is the most costly; p2, f2, q2 (1, 1) → 1;
    // p3 (0.5, 2) → 1.25; f1 (2, 1 by default) → 1.5; p1, q1 → 2. Ties go by image id.
    expect(view.rows.map((r) => [r.imageId, r.mean])).toEqual([
      [imageOf('p4'), -1],
      ...[imageOf('p2'), imageOf('f2'), imageOf('q2')].sort((a, b) => a - b).slice(0, 2).map((id) => [id, 1]),
    ]);
    expect(view.rows[0]?.values).toEqual({ [run.id]: -1, [run2.id]: -1 });
  });

  it('unlinks (audited) and the linked runs become stale; a disabled matrix refuses further linking', async () => {
    const r = await w.ok<QuantMatrixView>(quinn, 'quant:unlink', { matrixId: matrix.id, standardId: brakingStandard });
    expect(r.links).toEqual([]);
    expect(JSON.parse(auditOf('quant:unlink').at(-1)?.details ?? '{}')).toMatchObject({ unlinked: true, standardId: brakingStandard, version: 2 });
    expect(await w.app.dispatch(quinn, 'quant:unlink', { matrixId: matrix.id, standardId: brakingStandard })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const viewed = await w.ok<RunView>(w.engineer, 'runs:get', { id: run.id });
    expect(viewed.stale?.reasons).toEqual(['quantified label "pedestrian-braking" v2 was unlinked']);
    expect(viewed.metrics?.quant).toEqual([]);

    const disabled = await w.ok<QuantMatrixView>(quinn, 'quant:disable', { id: matrix.id });
    expect(disabled).toMatchObject({ status: 'disabled' });
    expect(disabled.disabledAt).not.toBeNull();
    const refused = await w.app.dispatch(quinn, 'quant:link', { matrixId: matrix.id, standardId: brakingStandard });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/disabled/) } });
    expect(await w.app.dispatch(w.engineer, 'quant:rescore', { runId: run.id, matrixId: matrix.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await w.app.dispatch(quinn, 'quant:update', { id: matrix.id, ...PEDESTRIAN })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // Never deleted: every version is still listed.
    expect((await w.ok<QuantMatrixDetail>(quinn, 'quant:get', { id: matrix.id })).versions).toHaveLength(2);
  });

  it('with the identity matrix the quantified score equals accuracy (and per class, recall), for random runs', async () => {
    const identity = await w.ok<QuantMatrixView>(quinn, 'quant:create', {
      name: 'identity',
      classes: ['person', 'figure3d', 'picture'],
      definition: { default: 0, values: { person: { person: 1 }, figure3d: { figure3d: 1 }, picture: { picture: 1 } } },
    });
    const random = prng(2026);
    const classes = ['person', 'figure3d', 'picture'];
    for (let trial = 0; trial < 6; trial++) {
      const predicted: Record<string, string | undefined> = {};
      for (const k of KEYS) predicted[k] = random() < 0.15 ? undefined : (classes[Math.floor(random() * 3)] as string);
      if (Object.values(predicted).every((p) => p === undefined)) predicted.p1 = 'person';
      const r = await newRun(`random ${trial}`, predicted, []);
      const scored = await w.ok<RunView>(w.engineer, 'quant:rescore', { runId: r.id, matrixId: identity.id });
      const m = scored.metrics;
      if (m?.task !== 'classification') throw new Error('expected a classification run');
      const q = m.quant.find((x) => x.matrixId === identity.id);
      expect(q?.score).toBeCloseTo(m.accuracy as number, 12);
      for (const c of classes) expect(q?.perClass[c]?.score ?? null).toEqual(m.perClass[c]?.recall ?? null);
    }
  });
});
