import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillView, GroundTruthImportResult, ImageBoxesView, RunCurves, RunImportResult, RunView } from '../../shared/contract';
import { writeSyntheticImages, type SyntheticImage } from './synthetic-images';
import { createWorld, type World } from './test-support/world';

let w: World;
let images: SyntheticImage[];
let ids: number[];
const nameOf = (img: SyntheticImage) => path.basename(img.file);

beforeAll(async () => {
  w = await createWorld();
  images = writeSyntheticImages(path.join(w.files, 'images'), 30, ['normal', 'benign', 'malignant'], 11, 'ov');
  await w.importFiles(images.map((i) => i.file));
  ids = images.map((img) => w.imageId(nameOf(img)));
});
afterAll(() => w.cleanup());

describe('ROC/PR curves of a classification run', () => {
  // Deterministic predictions with wrong classes, ties (a coarse score grid) and missed images.
  const predicted = (i: number, img: SyntheticImage): [string, number] | null => {
    if (i % 9 === 4) return null;
    const classes = ['normal', 'benign', 'malignant'];
    const cls = i % 4 === 1 ? (classes[(classes.indexOf(img.className) + 1) % 3] as string) : img.className;
    return [cls, Math.round(((i * 7) % 10) + 1) / 10];
  };
  let run: RunView;

  beforeAll(async () => {
    const ds = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'Curves set', purpose: 'application_test', filter: { ids } })).id;
    const model = (await w.ok<{ id: number }>(w.admin, 'models:create', { name: 'CurveNet', task: 'classification' })).id;
    const gt = await w.ok<GroundTruthImportResult>(w.engineer, 'groundTruth:import', {
      datasetId: ds,
      task: 'classification',
      source: { name: 'gt.csv', text: ['image_key,class', ...images.map((img) => `${nameOf(img)},${img.className}`)].join('\n') },
    });
    expect(gt.imported).toBe(true);
    run = await w.ok<RunView>(w.engineer, 'runs:create', { name: 'CurveNet v1', modelId: model, datasetId: ds });
    const rows = images.flatMap((img, i) => {
      const p = predicted(i, img);
      return p ? [`${nameOf(img)},${p[0]},${p[1]}`] : [];
    });
    const r = await w.ok<RunImportResult>(w.engineer, 'runs:importResults', { runId: run.id, source: { name: 'pred.csv', text: ['image_key,class,score', ...rows].join('\n') } });
    if (!r.imported) throw new Error(JSON.stringify(r.report));
    run = r.run;
  });

  it("has one curve per class whose area is exactly the run's AUC", async () => {
    const curves = await w.ok<RunCurves>(w.expert, 'runs:curves', { runId: run.id });
    const metrics = run.metrics;
    if (metrics?.task !== 'classification') throw new Error('expected classification metrics');
    expect(Object.keys(curves.classes)).toEqual(metrics.classes);
    for (const c of metrics.classes) {
      expect(metrics.perClass[c]?.auc).toEqual(expect.any(Number));
      expect({ c, auc: curves.classes[c]?.auc }).toEqual({ c, auc: metrics.perClass[c]?.auc });
    }
  });

  it('drills every point of every curve to exactly the TP and FP images at its threshold', async () => {
    const curves = await w.ok<RunCurves>(w.expert, 'runs:curves', { runId: run.id });
    let checked = 0;
    for (const [className, curve] of Object.entries(curves.classes)) {
      for (const point of curve.points) {
        if (point.cut === 'none') continue;
        const got = await w.ok<DrillView>(w.expert, 'runs:drill', { runId: run.id, cell: { metric: 'threshold', className, minScore: point.threshold } });
        const expected = { tp: [] as number[], fp: [] as number[] };
        images.forEach((img, i) => {
          const p = predicted(i, img);
          const above = point.cut === 'all' || (p !== null && p[0] === className && p[1] >= (point.threshold as number));
          if (above) (img.className === className ? expected.tp : expected.fp).push(ids[i] as number);
        });
        expected.tp.sort((a, b) => a - b);
        expected.fp.sort((a, b) => a - b);
        expect({ className, point: point.threshold, tp: got.sets.tp, fp: got.sets.fp }).toEqual({ className, point: point.threshold, ...expected });
        expect([got.sets.tp?.length, got.sets.fp?.length]).toEqual([point.tp, point.fp]);
        expect(got.numerator).toEqual(['tp']);
        expect(got.denominator).toEqual(['tp', 'fp']);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(9);
  });

  it('refuses a curve point of an unknown class', async () => {
    const r = await w.app.dispatch(w.expert, 'runs:drill', { runId: run.id, cell: { metric: 'threshold', className: 'nope', minScore: 0.5 } });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'Class "nope" does not occur in this run.' } });
  });
});

describe('detection boxes of an image', () => {
  let runA: RunView;
  let runB: RunView;
  const withBox = () => images.map((img, i) => ({ img, i })).filter(({ img }) => img.box);

  beforeAll(async () => {
    const model = (await w.ok<{ id: number }>(w.admin, 'models:create', { name: 'BoxNet', task: 'detection' })).id;
    const ds = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'Boxes set', purpose: 'training_test', filter: { ids } })).id;
    const gtRows = images.map((img) => (img.box ? `${nameOf(img)},lesion,${img.box.x},${img.box.y},${img.box.w},${img.box.h}` : `${nameOf(img)},,,,,`));
    const gt = await w.ok<GroundTruthImportResult>(w.engineer, 'groundTruth:import', { datasetId: ds, task: 'detection', source: { name: 'boxes.csv', text: ['image_key,class,x,y,w,h', ...gtRows].join('\n') } });
    expect(gt.imported).toBe(true);
    const importRun = async (name: string, rows: string[]) => {
      const run = await w.ok<RunView>(w.engineer, 'runs:create', { name, modelId: model, datasetId: ds, iou: 0.5 });
      const r = await w.ok<RunImportResult>(w.engineer, 'runs:importResults', { runId: run.id, source: { name: `${name}.csv`, text: ['image_key,class,score,x,y,w,h', ...rows].join('\n') } });
      if (!r.imported) throw new Error(JSON.stringify(r.report));
      return r.run;
    };
    const [first, second] = withBox() as [{ img: SyntheticImage; i: number }, { img: SyntheticImage; i: number }];
    const b1 = first.img.box as NonNullable<SyntheticImage['box']>;
    const b2 = second.img.box as NonNullable<SyntheticImage['box']>;
    // Run A: the first image's box found exactly plus a stray box; the second image's box shifted off (fp + fn).
    runA = await importRun('BoxNet A', [
      `${nameOf(first.img)},lesion,0.9,${b1.x},${b1.y},${b1.w},${b1.h}`,
      `${nameOf(first.img)},lesion,0.3,1,2,3,4`,
      `${nameOf(second.img)},lesion,0.8,${b2.x + 20},${b2.y},${b2.w},${b2.h}`,
    ]);
    // Run B: the first image missed, the second found one pixel off.
    runB = await importRun('BoxNet B', [`${nameOf(second.img)},lesion,0.7,${b2.x + 1},${b2.y},${b2.w},${b2.h}`]);
  });

  it('returns ground-truth and predicted boxes with their coordinates and outcome per run', async () => {
    const [first, second] = withBox() as [{ img: SyntheticImage; i: number }, { img: SyntheticImage; i: number }];
    const b1 = first.img.box as NonNullable<SyntheticImage['box']>;
    const b2 = second.img.box as NonNullable<SyntheticImage['box']>;
    const one = await w.ok<ImageBoxesView>(w.expert, 'runs:imageBoxes', { imageId: ids[first.i], runIds: [runA.id, runB.id] });
    const strip = (v: ImageBoxesView) => v.runs.map((r) => ({ runId: r.runId, boxes: r.boxes.map(({ kind, className, x, y, w: bw, h, outcome, score }) => ({ kind, className, x, y, w: bw, h, outcome, score })) }));
    expect(strip(one)).toEqual([
      {
        runId: runA.id,
        boxes: [
          { kind: 'prediction', className: 'lesion', ...b1, outcome: 'tp', score: 0.9 },
          { kind: 'truth', className: 'lesion', ...b1, outcome: 'tp', score: null },
          { kind: 'prediction', className: 'lesion', x: 1, y: 2, w: 3, h: 4, outcome: 'fp', score: 0.3 },
        ],
      },
      { runId: runB.id, boxes: [{ kind: 'truth', className: 'lesion', ...b1, outcome: 'fn', score: null }] },
    ]);
    const two = await w.ok<ImageBoxesView>(w.expert, 'runs:imageBoxes', { imageId: ids[second.i], runIds: [runA.id, runB.id] });
    expect(strip(two)).toEqual([
      {
        runId: runA.id,
        boxes: [
          { kind: 'prediction', className: 'lesion', ...b2, x: b2.x + 20, outcome: 'fp', score: 0.8 },
          { kind: 'truth', className: 'lesion', ...b2, outcome: 'fn', score: null },
        ],
      },
      {
        runId: runB.id,
        boxes: [
          { kind: 'prediction', className: 'lesion', ...b2, x: b2.x + 1, outcome: 'tp', score: 0.7 },
          { kind: 'truth', className: 'lesion', ...b2, outcome: 'tp', score: null },
        ],
      },
    ]);
  });

  it('draws the precision–recall curve of a detection run in its HTML report', async () => {
    const { html } = await w.ok<{ html: string }>(w.expert, 'runs:report', { runId: runA.id });
    const metrics = runA.metrics;
    if (metrics?.task !== 'detection') throw new Error('expected detection metrics');
    const ap = metrics.perClass.lesion?.ap as number;
    expect(html).toContain('<svg class="pr-curves"');
    expect(html).toContain(`>lesion AP ${Number.isInteger(ap) ? String(ap) : ap.toFixed(3)}</text>`);
    // Three predicted boxes, three points on the line.
    const path = /<svg class="pr-curves"[^]*?<path d="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(path.split(' ')).toHaveLength(3);
    expect(html).not.toMatch(/<script|http/i);
  });

  it('refuses an unknown run and lets a detection run have no ROC curves', async () => {
    expect(await w.app.dispatch(w.expert, 'runs:imageBoxes', { imageId: ids[0], runIds: [999] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await w.ok<RunCurves>(w.expert, 'runs:curves', { runId: runA.id })).toEqual({ runId: runA.id, classes: {} });
  });

  it("drills each point of the run's precision–recall curve to the predicted boxes scored at or above it", async () => {
    const [first, second] = withBox() as [{ img: SyntheticImage; i: number }, { img: SyntheticImage; i: number }];
    const at = (minScore: number | null) => w.ok<DrillView>(w.expert, 'runs:drill', { runId: runA.id, cell: { metric: 'threshold', className: 'lesion', minScore } });
    const half = await at(0.5);
    expect(half.sets).toEqual({ tp: [ids[first.i]], fp: [ids[second.i]] });
    expect(half.boxes?.fp?.map((b) => b.score)).toEqual([0.8]);
    const all = await at(null);
    expect(all.sets.tp).toEqual([ids[first.i]]);
    expect([...(all.sets.fp ?? [])].sort((a, b) => a - b)).toEqual([ids[first.i], ids[second.i]].sort((a, b) => (a as number) - (b as number)));
    // Every point of the engine's curve: precision and recall from the boxes the drill returns.
    const metrics = runA.metrics;
    if (metrics?.task !== 'detection') throw new Error('expected detection metrics');
    const support = metrics.perClass.lesion?.support as number;
    for (const point of metrics.prCurves.lesion ?? []) {
      const got = await at(point.score);
      const tp = got.boxes?.tp?.length ?? 0;
      const fp = got.boxes?.fp?.length ?? 0;
      expect({ score: point.score, precision: tp / (tp + fp), recall: tp / support }).toEqual({ score: point.score, precision: point.precision, recall: point.recall });
    }
    expect(metrics.prCurves.lesion).toHaveLength(3);
  });
});
