import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDetail, type DetailView, type DrillView, type GroundTruthImportResult, type RunImportResult, type RunView } from '../../shared/contract';
import { classificationDrillDown, classTable, evaluateClassification, type ClassificationCell } from '../../shared/metrics/classification';
import { detectionDrillDown, evaluateDetection, type DetectionCell } from '../../shared/metrics/detection';
import type { WritableDB } from '../db/types';
import { storeGroundTruth } from './ground-truth';
import { createWorld, type World } from './test-support/world';
import { writeSyntheticImages, type SyntheticImage } from './synthetic-images';

let w: World;
let images: SyntheticImage[];
const CLASSES = ['benign', 'malignant', 'normal'];
let datasetId: number;
let modelId: number;
let params: { epochs: number; optimizer: number; sgdOption: number };
let accuracyStandard: number;
const nameOf = (img: SyntheticImage) => path.basename(img.file);

/** A prediction per image: the true class, except where `wrong` maps an index to another class; `skip` leaves images out (missed). */
function predictions(wrong: Record<number, string>, skip: number[] = []): string {
  const rows = images
    .map((img, i) => (skip.includes(i) ? null : `${nameOf(img)},${wrong[i] ?? img.className},${(0.5 + (i % 5) / 10).toFixed(2)}`))
    .filter((r) => r !== null);
  return ['image_key,class,score', ...rows].join('\n');
}

beforeAll(async () => {
  w = await createWorld();
  images = writeSyntheticImages(path.join(w.files, 'images'), 12, ['normal', 'benign', 'malignant'], 7, 'case');
  await w.importFiles(images.map((i) => i.file));
  const ids = images.map((img) => w.imageId(nameOf(img)));
  datasetId = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'Test set A', purpose: 'application_test', filter: { ids } })).id;
  modelId = (await w.ok<{ id: number }>(w.admin, 'models:create', { name: 'NoduleNet', task: 'classification' })).id;
  const epochs = await w.ok<{ id: number }>(w.admin, 'params:create', { name: 'epochs', type: 'number', min: 1, max: 500 });
  const optimizer = await w.ok<{ id: number; options: { id: number; value: string }[] }>(w.admin, 'params:create', { name: 'optimizer', type: 'option', options: ['adam', 'sgd'] });
  params = { epochs: epochs.id, optimizer: optimizer.id, sgdOption: optimizer.options.find((o) => o.value === 'sgd')?.id as number };
  accuracyStandard = (await w.ok<{ id: number }>(w.admin, 'standards:create', { name: 'Accuracy 70', metric: 'accuracy', threshold: 0.7 })).id;
  await w.ok(w.admin, 'standards:create', { name: 'Malignant recall 90', metric: 'recall', className: 'malignant', threshold: 0.9 });
});
afterAll(() => w.cleanup());

describe('ground truth import', () => {
  it('refuses a file with unknown images, duplicates and empty classes, naming file, line and field of each', async () => {
    const text = ['image_key,class', `${nameOf(images[0] as SyntheticImage)},normal`, 'nope.png,normal', `${nameOf(images[0] as SyntheticImage)},benign`, `${nameOf(images[1] as SyntheticImage)},`].join('\n');
    const r = await w.ok<GroundTruthImportResult>(w.engineer, 'groundTruth:import', { datasetId, task: 'classification', source: { name: 'gt-bad.csv', text } });
    expect(r.imported).toBe(false);
    expect(r.report.problems).toEqual([
      { file: 'gt-bad.csv', line: 3, field: 'image_key', problem: expect.stringMatching(/unknown image: "nope.png"/) },
      { file: 'gt-bad.csv', line: 4, field: 'image_key', problem: expect.stringMatching(/duplicate row .* \(first on line 2\)/) },
      { file: 'gt-bad.csv', line: 5, field: 'class', problem: 'class is empty' },
    ]);
    expect(await w.ok(w.engineer, 'groundTruth:get', { datasetId, task: 'classification' })).toBeNull();
  });

  it('matches rows by file name, SHA-256 or SOP Instance UID and stores the set', async () => {
    const sha = (w.app.services.db.prepare('SELECT sha256 FROM images WHERE id = ?').get(w.imageId(nameOf(images[3] as SyntheticImage))) as { sha256: string }).sha256;
    const rows = images.map((img, i) => `${i === 3 ? sha : i === 4 ? `some/folder/${nameOf(img)}` : nameOf(img)},${img.className}`);
    const p = w.file('gt.csv', ['image_key,class', ...rows].join('\n'));
    const r = await w.ok<GroundTruthImportResult>(w.engineer, 'groundTruth:import', { datasetId, task: 'classification', source: { path: p } });
    expect(r).toMatchObject({ imported: true, groundTruth: { imageCount: 12, classes: CLASSES, sourceName: 'gt.csv' }, report: { rowsTotal: 12, rowsAccepted: 12, problems: [] } });
  });
});

describe('test runs', () => {
  let runA: RunView;

  it('refuse parameter values the registry does not allow, listing each problem', async () => {
    await w.ok(w.admin, 'params:setDisabled', { optionIds: [params.sgdOption], disabled: true });
    const r = await w.app.dispatch(w.engineer, 'runs:create', {
      name: 'bad',
      modelId,
      datasetId,
      parameterValues: { epochs: 900, optimizer: 'sgd', dropout: 0.1 },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!r.ok) {
      expect(r.error.message).toMatch(/epochs: 900 is outside \[1, 500\]/);
      expect(r.error.message).toMatch(/optimizer: the option "sgd" is disabled/);
      expect(r.error.message).toMatch(/dropout: no such parameter/);
    }
    await w.ok(w.admin, 'params:setDisabled', { optionIds: [params.sgdOption], disabled: false });
  });

  it('record a run on a frozen dataset version with its standards', async () => {
    runA = await w.ok<RunView>(w.engineer, 'runs:create', {
      name: 'NoduleNet v1',
      modelId,
      datasetId,
      parameterValues: { epochs: 100, optimizer: 'adam' },
      standardIds: [accuracyStandard],
    });
    expect(runA).toMatchObject({ status: 'awaiting_results', task: 'classification', datasetVersion: 1, metrics: null, standardIds: [accuracyStandard] });
    const version = w.app.services.db.prepare('SELECT frozen_at FROM dataset_versions WHERE dataset_id = ?').get(datasetId) as { frozen_at: string | null };
    expect(version.frozen_at).not.toBeNull();
    expect(await w.app.dispatch(w.expert, 'runs:create', { name: 'x', modelId, datasetId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuse a predictions file with unknown images, unknown classes, duplicate rows and bad numbers, naming each', async () => {
    const text = [
      'image_key,class,score',
      `${nameOf(images[0] as SyntheticImage)},normal,0.9`,
      'ghost.png,normal,0.5',
      `${nameOf(images[1] as SyntheticImage)},cat,0.5`,
      `${nameOf(images[0] as SyntheticImage)},normal,0.8`,
      `${nameOf(images[2] as SyntheticImage)},malignant,abc`,
    ].join('\n');
    const refused = await w.ok<RunImportResult>(w.engineer, 'runs:importResults', { runId: runA.id, source: { name: 'pred.csv', text } });
    expect(refused.imported).toBe(false);
    expect(refused.report.problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'image_key'],
      [4, 'class'],
      [5, 'image_key'],
      [6, 'score'],
    ]);
    expect(refused.report.problems[1]?.problem).toMatch(/unknown class "cat"/);
    expect(refused.report.problems[3]?.problem).toMatch(/score "abc" is not a number/);
    expect((await w.ok<RunView>(w.expert, 'runs:get', { id: runA.id })).status).toBe('awaiting_results');

    const partial = await w.ok<RunImportResult>(w.engineer, 'runs:importResults', { runId: runA.id, source: { name: 'pred.csv', text }, acceptPartial: true });
    expect(partial).toMatchObject({ imported: true, report: { rowsTotal: 5, rowsAccepted: 1 } });
    if (partial.imported) expect(partial.run.lastImport?.problems).toHaveLength(4);
  });

  it('compute metrics with the shared engine from a corrected file and store every image outcome', async () => {
    const text = predictions({ 1: 'normal', 2: 'benign', 4: 'malignant' }, [7]);
    const r = await w.ok<RunImportResult>(w.engineer, 'runs:importResults', { runId: runA.id, source: { name: 'pred-fixed.csv', text } });
    if (!r.imported) throw new Error('not imported');
    runA = r.run;
    const engine = evaluateClassification(
      classTable('gt', images.map((img) => ({ imageKey: nameOf(img), className: img.className }))),
      classTable('pred', images.flatMap((img, i) => (i === 7 ? [] : [{ imageKey: nameOf(img), className: ({ 1: 'normal', 2: 'benign', 4: 'malignant' } as Record<number, string>)[i] ?? img.className, score: 0.5 + (i % 5) / 10 }]))),
    );
    expect(runA.metrics).toMatchObject({ task: 'classification', accuracy: engine.metrics.accuracy, confusion: engine.metrics.confusion, perClass: engine.metrics.perClass });
    expect(runA.status).toBe('computed');
    expect(runA.standards).toEqual([expect.objectContaining({ name: 'Accuracy 70', value: 8 / 12, pass: false })]);
    const outcomes = w.app.services.db.prepare('SELECT outcome, count(*) AS n FROM run_outcomes WHERE run_id = ? GROUP BY outcome ORDER BY outcome').all(runA.id);
    expect(outcomes).toEqual([
      { outcome: 'correct', n: 8 },
      { outcome: 'missed', n: 1 },
      { outcome: 'wrong', n: 3 },
    ]);
  });

  it('drill every cell to exactly the images the engine drill-down returns', async () => {
    const rows = w.app.services.db.prepare('SELECT image_id, true_class, predicted_class, score FROM run_outcomes WHERE run_id = ? ORDER BY image_id').all(runA.id) as {
      image_id: number;
      true_class: string;
      predicted_class: string | null;
      score: number | null;
    }[];
    const engine = evaluateClassification(
      classTable('gt', rows.map((r) => ({ imageKey: String(r.image_id), className: r.true_class }))),
      classTable('pred', rows.flatMap((r) => (r.predicted_class === null ? [] : [{ imageKey: String(r.image_id), className: r.predicted_class, score: r.score as number }]))),
    );
    const cells: ClassificationCell[] = [{ metric: 'accuracy' }];
    for (const average of ['micro', 'macro'] as const) for (const metric of ['precision', 'recall', 'f1'] as const) cells.push({ metric, average });
    for (const className of CLASSES) {
      for (const metric of ['tp', 'fp', 'fn', 'tn', 'support', 'precision', 'recall', 'specificity', 'f1', 'auc'] as const) cells.push({ metric, className });
      for (const predictedClass of [...CLASSES, null]) cells.push({ metric: 'confusion', trueClass: className, predictedClass });
    }
    for (const cell of cells) {
      const expected = classificationDrillDown(engine, cell);
      const got = await w.ok<DrillView>(w.expert, 'runs:drill', { runId: runA.id, cell });
      expect({ cell, numerator: got.numerator, denominator: got.denominator }).toEqual({ cell, numerator: expected.numerator, denominator: expected.denominator });
      const expectedSets = Object.fromEntries(Object.entries(expected.sets).map(([k, keys]) => [k, (keys as string[]).map(Number).sort((a, b) => a - b)]));
      const gotSets = Object.fromEntries(Object.entries(got.sets).map(([k, ids]) => [k, [...(ids as number[])].sort((a, b) => a - b)]));
      expect({ cell, sets: gotSets }).toEqual({ cell, sets: expectedSets });
    }
    // precision of malignant in run A: its TP and FP images.
    const precision = await w.ok<DrillView>(w.expert, 'runs:drill', { runId: runA.id, cell: { metric: 'precision', className: 'malignant' } });
    expect(precision.sets.fp).toEqual([w.imageId(nameOf(images[4] as SyntheticImage))]);
  });

  it('regenerate a stale snapshot when the ground truth of one image changes, keep the old one and say why', async () => {
    const before = (w.app.services.db.prepare('SELECT count(*) AS n FROM run_snapshots WHERE run_id = ?').get(runA.id) as { n: number }).n;
    const unchanged = await w.ok<RunView>(w.expert, 'runs:get', { id: runA.id });
    expect(unchanged.stale).toBeNull();
    // Image 1 is a "benign" case predicted "normal": correct its ground truth to "normal".
    const fix = await w.ok<GroundTruthImportResult>(w.engineer, 'groundTruth:import', {
      datasetId,
      task: 'classification',
      mode: 'merge',
      source: { name: 'gold-correction.csv', text: `image_key,class\n${nameOf(images[1] as SyntheticImage)},normal\n` },
    });
    expect(fix).toMatchObject({ imported: true, groundTruth: { imageCount: 12, mode: 'merge' } });
    const viewed = await w.ok<RunView>(w.expert, 'runs:get', { id: runA.id });
    expect(viewed.stale?.reasons).toEqual([expect.stringMatching(/^the ground truth changed/)]);
    expect(viewed.stale?.changedImageIds).toEqual([w.imageId(nameOf(images[1] as SyntheticImage))]);
    expect(viewed.stale?.changes).toContainEqual({ figure: 'accuracy', before: 8 / 12, after: 9 / 12 });
    expect(viewed.metrics?.task === 'classification' && viewed.metrics.accuracy).toBe(9 / 12);
    expect(viewed.history).toHaveLength(before + 1);
    expect(viewed.history[before - 1]?.hash).toBe(unchanged.snapshot?.hash);
    expect(viewed.snapshot?.reason).toMatch(/regenerated: the ground truth changed/);
    // Viewed again: fresh, nothing to regenerate.
    expect((await w.ok<RunView>(w.expert, 'runs:get', { id: runA.id })).stale).toBeNull();
    expect(() => w.app.services.db.prepare('DELETE FROM run_snapshots').run()).toThrow(/append-only/);
  });

  it('compare runs against a baseline with deltas, flag a disabled parameter, and give per-image detail', async () => {
    const runB = await w.ok<RunView>(w.engineer, 'runs:create', { name: 'NoduleNet v2', modelId, datasetId, parameterValues: { epochs: 200, optimizer: 'sgd' } });
    await w.ok(w.engineer, 'runs:importResults', { runId: runB.id, source: { name: 'pred-b.csv', text: predictions({ 1: 'normal', 2: 'benign', 9: 'benign' }) } });
    await w.ok(w.admin, 'params:setDisabled', { optionIds: [params.sgdOption], disabled: true });
    const cmp = await w.ok<{ runs: { id: number; flags: string[]; regenerated: boolean }[]; rows: { metric: string; className: string | null; values: Record<string, number | null>; deltas: Record<string, number | null> }[] }>(
      w.expert,
      'runs:compare',
      { runIds: [runA.id, runB.id], baselineId: runA.id },
    );
    const b = cmp.runs.find((r) => r.id === runB.id);
    expect(b?.flags).toContain('option "sgd" of parameter "optimizer" is disabled');
    expect(b?.regenerated).toBe(true);
    const accuracy = cmp.rows.find((r) => r.metric === 'accuracy');
    expect(accuracy?.values).toEqual({ [runA.id]: 9 / 12, [runB.id]: 10 / 12 });
    expect(accuracy?.deltas[runB.id]).toBeCloseTo(1 / 12);
    const detail = await w.ok<DetailView>(w.expert, 'runs:detail', { runIds: [runA.id, runB.id], metric: 'accuracy' });
    const rows = decodeDetail(detail);
    const statusOf = (i: number) => rows.find((r) => r.imageId === w.imageId(nameOf(images[i] as SyntheticImage)))?.status;
    expect(statusOf(4)).toBe('fixed');
    expect(statusOf(7)).toBe('fixed');
    expect(statusOf(9)).toBe('broken');
    expect(statusOf(2)).toBe('still_wrong');
    expect(statusOf(0)).toBe('always_right');
    expect(detail.counts).toEqual({ fixed: 2, broken: 1, still_wrong: 1, always_right: 8, mixed: 0 });

    // Every decoded row carries each run's outcome, prediction and the truth of its image, as imported.
    const wrongA: Record<number, string> = { 1: 'normal', 2: 'benign', 4: 'malignant' };
    const wrongB: Record<number, string> = { 1: 'normal', 2: 'benign', 9: 'benign' };
    const expected = images.map((img, i) => {
      const predA = i === 7 ? null : (wrongA[i] ?? img.className);
      const predB = wrongB[i] ?? img.className;
      // Image 1's ground truth was corrected to "normal" above.
      return { imageId: w.imageId(nameOf(img)), truth: i === 1 ? 'normal' : img.className, predA, predB };
    });
    const byId = [...expected].sort((a, b) => a.imageId - b.imageId);
    const accuracyOf = (truth: string, pred: string | null) => (pred === null ? 'missed' : pred === truth ? 'correct' : 'wrong');
    expect(rows.map((r) => ({ imageId: r.imageId, trueClass: r.trueClass, outcomes: r.outcomes, predicted: r.predicted }))).toEqual(
      byId.map((e) => ({
        imageId: e.imageId,
        trueClass: e.truth,
        outcomes: { [runA.id]: accuracyOf(e.truth, e.predA), [runB.id]: accuracyOf(e.truth, e.predB) },
        predicted: { [runA.id]: e.predA, [runB.id]: e.predB },
      })),
    );
    const cellOf = (x: string, truth: string, pred: string | null) => (truth === x ? (pred === x ? 'tp' : 'fn') : pred === x ? 'fp' : 'tn');
    const precision = decodeDetail(await w.ok<DetailView>(w.expert, 'runs:detail', { runIds: [runA.id, runB.id], metric: 'precision', className: 'benign' }));
    const predictedBenign = byId.filter((e) => e.predA === 'benign' || e.predB === 'benign');
    expect(predictedBenign.length).toBeGreaterThan(0);
    expect(precision.map((r) => [r.imageId, r.outcomes[runA.id], r.outcomes[runB.id]])).toEqual(
      predictedBenign.map((e) => [e.imageId, cellOf('benign', e.truth, e.predA), cellOf('benign', e.truth, e.predB)]),
    );
    const recall = decodeDetail(await w.ok<DetailView>(w.expert, 'runs:detail', { runIds: [runA.id, runB.id], metric: 'recall', className: 'malignant' }));
    const malignant = byId.filter((e) => e.truth === 'malignant');
    expect(recall.map((r) => [r.imageId, r.trueClass, r.outcomes[runA.id], r.outcomes[runB.id], r.status])).toEqual(
      malignant.map((e) => {
        const a = cellOf('malignant', e.truth, e.predA);
        const b = cellOf('malignant', e.truth, e.predB);
        return [e.imageId, 'malignant', a, b, a === 'tp' ? (b === 'tp' ? 'always_right' : 'broken') : b === 'tp' ? 'fixed' : 'still_wrong'];
      }),
    );
    await w.ok(w.admin, 'params:setDisabled', { optionIds: [params.sgdOption], disabled: false });
  });

  it('see a change another process wrote after the run was found fresh, and regenerate', async () => {
    // Found fresh: repeated views skip re-hashing the inputs while the database is unchanged.
    expect((await w.ok<RunView>(w.expert, 'runs:get', { id: runA.id })).stale).toBeNull();
    expect((await w.ok<DrillView>(w.expert, 'runs:drill', { runId: runA.id, cell: { metric: 'accuracy' } })).imageIds).toHaveLength(12);
    // Another connection (a CLI, a second window's process) corrects one image's ground truth.
    const image = images[2] as SyntheticImage;
    const other = new Database(w.app.services.workspace.dbFile) as WritableDB;
    try {
      other.pragma('busy_timeout = 5000');
      other.transaction(() =>
        storeGroundTruth(other, {
          datasetId,
          task: 'classification',
          sourceName: 'other-process.csv',
          mode: 'merge',
          items: [{ imageId: w.imageId(nameOf(image)), className: image.className === 'benign' ? 'normal' : 'benign', box: null }],
          refused: [],
          createdBy: null,
          createdAt: new Date(0).toISOString(),
        }),
      )();
    } finally {
      other.close();
    }
    const viewed = await w.ok<RunView>(w.expert, 'runs:get', { id: runA.id });
    expect(viewed.stale?.reasons).toEqual([expect.stringMatching(/^the ground truth changed/)]);
    expect(viewed.stale?.changedImageIds).toEqual([w.imageId(nameOf(image))]);
    expect((await w.ok<RunView>(w.expert, 'runs:get', { id: runA.id })).stale).toBeNull();
  });
});

describe('detection runs', () => {
  it('import boxes, match them at the run IoU and drill to the boxes the engine counts', async () => {
    const modelD = (await w.ok<{ id: number }>(w.admin, 'models:create', { name: 'LesionDet', task: 'detection' })).id;
    const ids = images.map((img) => w.imageId(nameOf(img)));
    const ds = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'Detection test', purpose: 'training_test', filter: { ids } })).id;
    const gtRows = images.map((img) => (img.box ? `${nameOf(img)},lesion,${img.box.x},${img.box.y},${img.box.w},${img.box.h}` : `${nameOf(img)},,,,,`));
    const gt = await w.ok<GroundTruthImportResult>(w.engineer, 'groundTruth:import', { datasetId: ds, task: 'detection', source: { name: 'boxes.csv', text: ['image_key,class,x,y,w,h', ...gtRows].join('\n') } });
    expect(gt).toMatchObject({ imported: true, groundTruth: { imageCount: 12, itemCount: 12, classes: ['lesion'] } });
    const preds = images.flatMap((img, i) => {
      if (!img.box) return i === 0 ? [`${nameOf(img)},lesion,0.3,1,1,5,5`] : [];
      if (i === 4) return []; // missed
      const shift = i === 5 ? 8 : 0; // a poor box: below the IoU threshold
      return [`${nameOf(img)},lesion,${0.9 - i / 100},${img.box.x + shift},${img.box.y},${img.box.w},${img.box.h}`];
    });
    const run = await w.ok<RunView>(w.engineer, 'runs:create', { name: 'LesionDet v1', modelId: modelD, datasetId: ds, iou: 0.5 });
    const r = await w.ok<RunImportResult>(w.engineer, 'runs:importResults', { runId: run.id, source: { name: 'boxes-pred.json', text: JSON.stringify(preds.map((p) => {
      const [key, cls, score, x, y, wd, h] = p.split(',');
      return { image_key: key, class: cls, score: Number(score), x: Number(x), y: Number(y), w: Number(wd), h: Number(h) };
    })) } });
    if (!r.imported) throw new Error(JSON.stringify(r.report));
    const byName = new Map(images.map((img) => [String(w.imageId(nameOf(img))), img]));
    const engine = evaluateDetection(
      { source: 'gt', rows: [...byName].flatMap(([key, img]) => (img.box ? [{ imageKey: key, className: 'lesion', ...img.box }] : [])), emptyImages: [...byName].filter(([, img]) => !img.box).map(([k]) => k) },
      { source: 'pred', rows: preds.map((p) => {
        const [key, cls, score, x, y, wd, h] = p.split(',');
        return { imageKey: String(w.imageId(key as string)), className: cls as string, score: Number(score), x: Number(x), y: Number(y), w: Number(wd), h: Number(h) };
      }) },
      { iou: 0.5 },
    );
    expect(r.run.metrics).toMatchObject({ task: 'detection', perClass: engine.metrics.perClass, mAP: engine.metrics.mAP });
    expect(r.run.metrics?.perClass.lesion).toMatchObject({ tp: 6, fp: 2, fn: 2 });
    const cells: DetectionCell[] = [{ metric: 'mAP', average: 'macro' }];
    for (const metric of ['tp', 'fp', 'fn', 'support', 'precision', 'recall', 'f1', 'ap'] as const) cells.push({ metric, className: 'lesion' });
    for (const cell of cells) {
      const expected = detectionDrillDown(engine, cell);
      const got = await w.ok<DrillView>(w.expert, 'runs:drill', { runId: run.id, cell });
      for (const set of ['tp', 'fp', 'fn'] as const) {
        expect({ cell, set, ids: (got.sets[set] ?? []).slice().sort((a, b) => a - b) }).toEqual({
          cell,
          set,
          ids: (expected.sets[set] ?? []).map((b) => Number(b.imageKey)).sort((a, b) => a - b),
        });
      }
    }
    // The per-image detail decodes to each image's box counts, as the engine matched them.
    const perImage = new Map<number, { tp: number; fp: number; fn: number }>();
    for (const set of ['tp', 'fp', 'fn'] as const) {
      for (const b of detectionDrillDown(engine, { metric: set, className: 'lesion' }).sets[set] ?? []) {
        const e = perImage.get(Number(b.imageKey)) ?? { tp: 0, fp: 0, fn: 0 };
        e[set]++;
        perImage.set(Number(b.imageKey), e);
      }
    }
    const detail = decodeDetail(await w.ok<DetailView>(w.expert, 'runs:detail', { runIds: [run.id], metric: 'recall', className: 'lesion' }));
    expect(detail.map((row) => row.status)).toEqual(expect.arrayContaining(['always_right', 'still_wrong']));
    expect(detail.map((row) => [row.imageId, row.outcomes[run.id], row.status])).toEqual(
      [...perImage].sort((a, b) => a[0] - b[0]).map(([id, c]) => [id, `tp ${c.tp} fp ${c.fp} fn ${c.fn}`, c.fn === 0 ? 'always_right' : 'still_wrong']),
    );
  });
});
