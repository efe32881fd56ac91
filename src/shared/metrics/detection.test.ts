import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { cocoAp, detectionDrillDown, evaluateDetection, type GtBox, type PredBox } from './detection';

type B = [number, number, number, number];
const box = ([x, y, w, h]: B) => ({ x, y, w, h });
const gtRows = (rows: [string, string, B][], emptyImages: string[] = []) => ({
  source: 'gt.csv',
  rows: rows.map(([imageKey, className, b], i): GtBox => ({ imageKey, className, ...box(b), line: i + 2 })),
  emptyImages,
});
const predRows = (rows: [string, string, number, B][]) => ({
  source: 'pred.csv',
  rows: rows.map(([imageKey, className, score, b], i): PredBox => ({ imageKey, className, score, ...box(b), line: i + 2 })),
});

// The worked example (also test/fixtures/metrics/det-*.csv).
const exampleGt = gtRows(
  [
    ['i1', 'A', [0, 0, 10, 10]], // g0
    ['i1', 'A', [20, 0, 10, 10]], // g1
    ['i2', 'B', [0, 0, 10, 10]], // g2: only an A prediction on it
  ],
  ['i3'], // an image without objects
);
const examplePred = predRows([
  ['i1', 'A', 0.9, [0, 0, 10, 10]], // p0: IoU 1 with g0 -> TP
  ['i1', 'A', 0.8, [0, 0, 10, 10]], // p1: second prediction on g0 -> FP
  ['i1', 'A', 0.7, [20, 0, 10, 5]], // p2: IoU with g1 = 50/100 = 0.5, exactly the threshold -> TP
  ['i2', 'A', 0.95, [0, 0, 10, 10]], // p3: on a B box, another class -> FP
  ['i3', 'A', 0.6, [0, 0, 5, 5]], // p4: on the empty image -> FP
]);

describe('evaluateDetection', () => {
  it('computes the worked example by hand', () => {
    const { metrics, predMatch, gtMatch } = evaluateDetection(exampleGt, examplePred, { iou: 0.5 });
    expect(Array.from(predMatch)).toEqual([0, -1, 1, -1, -1]);
    expect(Array.from(gtMatch)).toEqual([0, 2, -1]);
    // A ranked p3 (FP), p0 (TP), p1 (FP), p2 (TP), p4 (FP):
    //   precision 0/1, 1/2, 1/3, 2/4, 2/5; recall 0, .5, .5, 1, 1
    //   made monotone from the right: .5 .5 .5 .5 .4 -> every recall threshold reads 0.5 -> AP 0.5
    // A: tp 2, fp 3, fn 0 -> P 2/5, R 1, F1 4/7
    expect(metrics.perClass.A).toEqual({ tp: 2, fp: 3, fn: 0, tn: null, support: 2, precision: 0.4, recall: 1, specificity: null, f1: 4 / 7, ap: 0.5 });
    // B: its box is missed, no B predictions -> P 0/0 null, R 0, F1 0, AP 0
    expect(metrics.perClass.B).toEqual({ tp: 0, fp: 0, fn: 1, tn: null, support: 1, precision: null, recall: 0, specificity: null, f1: 0, ap: 0 });
    expect(metrics.mAP).toBe(0.25);
    // micro: tp 2, fp 3, fn 1 -> P 2/5, R 2/3, F1 4/8
    expect(metrics.micro.precision).toBe(0.4);
    expect(metrics.micro.recall).toBeCloseTo(2 / 3, 15);
    expect(metrics.micro.f1).toBe(0.5);
    // macro: P mean(.4) (B undefined), R mean(1, 0), F1 mean(4/7, 0)
    expect(metrics.macro.precision).toBe(0.4);
    expect(metrics.macro.recall).toBe(0.5);
    expect(metrics.macro.f1).toBeCloseTo(2 / 7, 15);
    expect(metrics.accuracy).toBeNull();
    expect(metrics.prCurves.A?.map((p) => [p.score, p.precision, p.recall])).toEqual([
      [0.95, 0, 0],
      [0.9, 0.5, 0.5],
      [0.8, 1 / 3, 0.5],
      [0.7, 0.5, 1],
      [0.6, 0.4, 1],
    ]);
  });

  it('does not match at an IoU just below the threshold', () => {
    // p2 has IoU 0.5 with g1: at --iou 0.6 it is an FP and g1 an FN
    const { metrics } = evaluateDetection(exampleGt, examplePred, { iou: 0.6 });
    expect(metrics.perClass.A).toMatchObject({ tp: 1, fp: 4, fn: 1 });
  });

  it('gives equal scores to predictions in input order', () => {
    // q0 (IoU 0.9) and q1 (IoU 1) tie at 0.5: q0 comes first, takes the box; q1 is an FP
    const gt = gtRows([['i', 'A', [0, 0, 10, 10]]]);
    const first = evaluateDetection(
      gt,
      predRows([
        ['i', 'A', 0.5, [0, 0, 10, 9]],
        ['i', 'A', 0.5, [0, 0, 10, 10]],
      ]),
      { iou: 0.5 },
    );
    expect(Array.from(first.predMatch)).toEqual([0, -1]);
    const swapped = evaluateDetection(
      gt,
      predRows([
        ['i', 'A', 0.5, [0, 0, 10, 10]],
        ['i', 'A', 0.5, [0, 0, 10, 9]],
      ]),
      { iou: 0.5 },
    );
    expect(Array.from(swapped.predMatch)).toEqual([0, -1]);
  });

  it('matches greedily: a higher score takes its best box even if a later prediction fits it better', () => {
    // g0 [0,10], g1 [6,16] on x. p0 (0.9) at [4,14]: IoU with g0 = 6/14, with g1 = 8/12 -> g1.
    // p1 (0.8) at [6,16] fits g1 perfectly but g1 is taken; with g0 IoU 4/16 < 0.5 -> FP.
    const { predMatch, gtMatch } = evaluateDetection(
      gtRows([
        ['i', 'A', [0, 0, 10, 10]],
        ['i', 'A', [6, 0, 10, 10]],
      ]),
      predRows([
        ['i', 'A', 0.9, [4, 0, 10, 10]],
        ['i', 'A', 0.8, [6, 0, 10, 10]],
      ]),
      { iou: 0.5 },
    );
    expect(Array.from(predMatch)).toEqual([1, -1]);
    expect(Array.from(gtMatch)).toEqual([-1, 0]);
  });

  it('never matches a box of another class', () => {
    const { metrics } = evaluateDetection(gtRows([['i', 'A', [0, 0, 10, 10]]]), predRows([['i', 'B', 0.9, [0, 0, 10, 10]]]), { iou: 0.5 });
    expect(metrics.perClass.A).toMatchObject({ tp: 0, fn: 1, ap: 0 });
    expect(metrics.perClass.B).toMatchObject({ tp: 0, fp: 1, support: 0, precision: 0, recall: null, ap: null });
    // mAP only over classes with ground truth
    expect(metrics.mAP).toBe(0);
  });

  it('counts every box of an image without predictions as missed', () => {
    const { metrics } = evaluateDetection(
      gtRows([
        ['i', 'A', [0, 0, 10, 10]],
        ['j', 'A', [0, 0, 10, 10]],
      ]),
      predRows([['i', 'A', 0.9, [0, 0, 10, 10]]]),
      { iou: 0.5 },
    );
    // one TP then nothing: recall reaches 0.5 only; thresholds 0..0.5 (51 of 101) read 1
    expect(metrics.perClass.A).toMatchObject({ tp: 1, fp: 0, fn: 1, precision: 1, recall: 0.5 });
    expect(metrics.perClass.A?.ap).toBeCloseTo(51 / 101, 15);
  });

  it('gives null ratios and no mAP when there is nothing at all', () => {
    const { metrics } = evaluateDetection(gtRows([]), predRows([]), { iou: 0.5 });
    expect(metrics).toMatchObject({ classes: [], mAP: null, micro: { precision: null, recall: null, f1: null }, macro: { precision: null, recall: null, f1: null } });
  });

  it('refuses predictions on unknown images and malformed boxes, naming file and line', () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        return (e as AppError).message;
      }
      return 'no error';
    };
    expect(err(() => evaluateDetection(exampleGt, predRows([['zz', 'A', 1, [0, 0, 1, 1]]]), { iou: 0.5 }))).toBe('pred.csv line 2: image_key "zz" is not in the ground truth (gt.csv)');
    expect(err(() => evaluateDetection(exampleGt, predRows([['i1', 'A', 1, [0, 0, -1, 1]]]), { iou: 0.5 }))).toBe('pred.csv line 2: w -1 is negative');
    expect(err(() => evaluateDetection(gtRows([['i1', '', [0, 0, 1, 1]]]), predRows([]), { iou: 0.5 }))).toBe('gt.csv line 2: class is empty');
    expect(() => evaluateDetection(exampleGt, examplePred, { iou: 0 })).toThrow(RangeError);
  });
});

describe('cocoAp', () => {
  it('interpolates over 101 recall points as pycocotools does, by hand', () => {
    // 3 boxes; ranking TP, FP, TP. recall 1/3, 1/3, 2/3; precision 1, 1/2, 2/3 -> monotone 1, 2/3, 2/3.
    // thresholds 0.00..0.33 (34 points) reach recall 1/3 at rank 0 -> 1;
    // 0.34..0.66 (33 points) reach 2/3 at rank 2 -> 2/3; 0.67..1.00 (34 points) unreached -> 0.
    // AP = (34 + 33 * 2/3) / 101 = 56/101
    const { ap } = cocoAp([0, 1, 2], [1, 0, 1], 3, (r) => 1 - r / 10);
    // (summed in 101 steps, so equal to about 1e-15)
    expect(ap).toBeCloseTo(56 / 101, 14);
  });

  it('is 0 without predictions and null without ground truth', () => {
    expect(cocoAp([], [], 2, () => 0).ap).toBe(0);
    expect(cocoAp([0], [0], 0, () => 0).ap).toBeNull();
  });
});

describe('detectionDrillDown', () => {
  it('has set sizes equal to the counts for every class on random data', () => {
    const boxArb = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([x, y, w, h]) => ({ x: x * 2, y: y * 2, w: w * 2, h: h * 2 }));
    const image = fc.constantFrom('a', 'b', 'c');
    const cls = fc.constantFrom('A', 'B', 'C');
    fc.assert(
      fc.property(
        fc.array(fc.record({ imageKey: image, className: cls, box: boxArb }), { maxLength: 12 }),
        fc.array(fc.record({ imageKey: image, className: cls, box: boxArb, score: fc.integer({ min: 0, max: 3 }) }), { maxLength: 12 }),
        (gt, pred) => {
          const evaluation = evaluateDetection(
            { source: 'gt', rows: gt.map((g) => ({ imageKey: g.imageKey, className: g.className, ...g.box })), emptyImages: ['a', 'b', 'c'] },
            { source: 'pred', rows: pred.map((p) => ({ imageKey: p.imageKey, className: p.className, score: p.score, ...p.box })) },
            { iou: 0.5 },
          );
          for (const className of evaluation.metrics.classes) {
            const m = evaluation.metrics.perClass[className];
            const sets = detectionDrillDown(evaluation, { metric: 'f1', className }).sets;
            expect([sets.tp?.length, sets.fp?.length, sets.fn?.length]).toEqual([m?.tp, m?.fp, m?.fn]);
            expect((m?.tp ?? 0) + (m?.fn ?? 0)).toBe(m?.support);
          }
          const all = detectionDrillDown(evaluation, { metric: 'f1', average: 'micro' }).sets;
          expect((all.tp?.length ?? 0) + (all.fp?.length ?? 0)).toBe(pred.length);
          expect((all.tp?.length ?? 0) + (all.fn?.length ?? 0)).toBe(gt.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
