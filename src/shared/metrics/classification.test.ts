import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { classTable, classificationDrillDown, classificationOutcomes, evaluateClassification, type ClassLabel, type ClassPrediction } from './classification';

const gt = (pairs: [string, string][]) => classTable('gt.csv', pairs.map(([imageKey, className], i): ClassLabel => ({ imageKey, className, line: i + 2 })));
const pred = (rows: [string, string, number?][]) =>
  classTable(
    'pred.csv',
    rows.map(([imageKey, className, score], i): ClassPrediction => (score === undefined ? { imageKey, className, line: i + 2 } : { imageKey, className, score, line: i + 2 })),
  );

// The worked example (also test/fixtures/metrics/cls-*.csv): 8 images, 3 classes, 2 missed.
const exampleGt = gt([
  ['img1', 'cat'],
  ['img2', 'cat'],
  ['img3', 'cat'],
  ['img4', 'dog'],
  ['img5', 'dog'],
  ['img6', 'bird'],
  ['img7', 'bird'],
  ['img8', 'cat'],
]);
const examplePred = pred([
  ['img1', 'cat', 0.9],
  ['img2', 'dog', 0.8],
  ['img3', 'cat', 0.6],
  ['img4', 'dog', 0.7],
  ['img5', 'cat', 0.4],
  ['img6', 'bird', 0.95],
]);

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an error');
}

describe('evaluateClassification', () => {
  it('computes the worked example by hand', () => {
    const { metrics } = evaluateClassification(exampleGt, examplePred);
    expect(metrics.classes).toEqual(['bird', 'cat', 'dog']);
    // rows bird, cat, dog; columns bird, cat, dog, missed
    // bird: img6 -> bird, img7 missed; cat: img1, img3 -> cat, img2 -> dog, img8 missed;
    // dog: img4 -> dog, img5 -> cat.
    expect(metrics.confusion).toEqual([
      [1, 0, 0, 1],
      [0, 2, 1, 1],
      [0, 1, 1, 0],
    ]);
    // bird: tp 1, fp 0, fn 1 (missed img7), tn 8-1-0-1 = 6; P 1/1, R 1/2, spec 6/6, F1 2/(2+0+1)
    expect(metrics.perClass.bird).toEqual({ tp: 1, fp: 0, fn: 1, tn: 6, support: 2, precision: 1, recall: 0.5, specificity: 1, f1: 2 / 3, auc: 0.75 });
    // cat: tp 2, fp 1 (img5), fn 2 (img2 wrong, img8 missed), tn 3; P 2/3, R 2/4, spec 3/4, F1 4/7
    expect(metrics.perClass.cat).toEqual({ tp: 2, fp: 1, fn: 2, tn: 3, support: 4, precision: 2 / 3, recall: 0.5, specificity: 0.75, f1: 4 / 7, auc: 0.6875 });
    // dog: tp 1, fp 1 (img2), fn 1 (img5), tn 5; P 1/2, R 1/2, spec 5/6, F1 2/4
    expect(metrics.perClass.dog).toEqual({ tp: 1, fp: 1, fn: 1, tn: 5, support: 2, precision: 0.5, recall: 0.5, specificity: 5 / 6, f1: 0.5, auc: 0.625 });
    // 4 correct of 8 (the two missed count as wrong)
    expect(metrics.accuracy).toBe(0.5);
    // macro P (1 + 2/3 + 1/2)/3 = 13/18; R 1/2; F1 (2/3 + 4/7 + 1/2)/3 = 73/126
    expect(metrics.macro.precision).toBeCloseTo(13 / 18, 15);
    expect(metrics.macro.recall).toBe(0.5);
    expect(metrics.macro.f1).toBeCloseTo(73 / 126, 15);
    // micro: sum tp 4, fp 2, fn 4 -> P 4/6, R 4/8, F1 8/14; missed images are fn but no fp,
    // so micro precision is above accuracy (sklearn with labels=classes and a "missed" label).
    expect(metrics.micro).toEqual({ precision: 4 / 6, recall: 0.5, f1: 8 / 14 });
  });

  it('computes one-vs-rest AUC with ties counting half, by hand', () => {
    // bird: positives img6 (0.95) and img7 (missed: bottom); 6 negatives, all bottom.
    //   img6 beats 6, img7 ties 6 -> (6 + 3) / (2*6) = 0.75
    // cat: positives img1 (0.9), img3 (0.6), img2 and img8 (bottom: not predicted cat);
    //   negatives img5 (0.4) and 3 at the bottom. 4 + 4 + 1.5 + 1.5 = 11 of 16 -> 0.6875
    // dog: positives img4 (0.7), img5 (bottom); negatives img2 (0.8) and 5 at the bottom.
    //   img4 beats 5 -> 5; img5 ties 5 -> 2.5; 7.5 / 12 = 0.625
    const { metrics } = evaluateClassification(exampleGt, examplePred);
    expect(metrics.macro.auc).toBeCloseTo((0.75 + 0.6875 + 0.625) / 3, 15);
  });

  it('leaves AUC out when the predictions have no scores', () => {
    const { metrics } = evaluateClassification(gt([['a', 'x']]), pred([['a', 'x']]));
    expect(metrics.perClass.x).not.toHaveProperty('auc');
    expect(metrics.macro).not.toHaveProperty('auc');
  });

  it('gives null, not 0 or NaN, for every 0/0 ratio of an empty evaluation', () => {
    const { metrics } = evaluateClassification(gt([]), pred([]));
    expect(metrics).toEqual({
      classes: [],
      confusion: [],
      perClass: {},
      accuracy: null,
      macro: { precision: null, recall: null, f1: null },
      micro: { precision: null, recall: null, f1: null },
    });
  });

  it('gives null recall for a class only predicted and leaves it out of the macro mean', () => {
    // GT a cat, b cat; pred a cat, b dog.
    // cat: tp 1, fp 0, fn 1, tn 2-1-0-1 = 0 -> specificity 0/0 = null
    // dog: tp 0, fp 1, fn 0, tn 1 -> precision 0, recall 0/0 = null, f1 0/1 = 0, spec 1/2
    const { metrics } = evaluateClassification(
      gt([
        ['a', 'cat'],
        ['b', 'cat'],
      ]),
      pred([
        ['a', 'cat'],
        ['b', 'dog'],
      ]),
    );
    expect(metrics.perClass.cat).toEqual({ tp: 1, fp: 0, fn: 1, tn: 0, support: 2, precision: 1, recall: 0.5, specificity: null, f1: 2 / 3 });
    expect(metrics.perClass.dog).toEqual({ tp: 0, fp: 1, fn: 0, tn: 1, support: 0, precision: 0, recall: null, specificity: 0.5, f1: 0 });
    // sklearn zero_division=np.nan: macro recall = mean(0.5) over the defined value only
    expect(metrics.macro).toEqual({ precision: 0.5, recall: 0.5, f1: 1 / 3 });
  });

  it('counts an image without prediction as missed: fn of its class, fp of none, wrong for accuracy', () => {
    const { metrics } = evaluateClassification(gt([['a', 'cat']]), pred([]));
    expect(metrics.confusion).toEqual([[0, 1]]);
    expect(metrics.perClass.cat).toEqual({ tp: 0, fp: 0, fn: 1, tn: 0, support: 1, precision: null, recall: 0, specificity: null, f1: 0 });
    expect(metrics.accuracy).toBe(0);
    expect(metrics.micro).toEqual({ precision: null, recall: 0, f1: 0 });
  });

  it('orders classes by code unit, independent of locale', () => {
    const { metrics } = evaluateClassification(
      gt([
        ['1', 'b'],
        ['2', 'B'],
        ['3', 'ä'],
        ['4', 'a'],
      ]),
      pred([]),
    );
    expect(metrics.classes).toEqual(['B', 'a', 'b', 'ä']);
  });

  it('keeps a class named like an Object.prototype member as a plain class', () => {
    const { metrics } = evaluateClassification(gt([['a', '__proto__']]), pred([['a', '__proto__']]));
    expect(Object.keys(metrics.perClass)).toEqual(['__proto__']);
    expect(metrics.perClass['__proto__']?.tp).toBe(1);
  });

  it('refuses a prediction for an image not in the ground truth, naming file and line', () => {
    const err = thrown(() => evaluateClassification(gt([['a', 'x']]), pred([['b', 'x']])));
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toBe('pred.csv line 2: image_key "b" is not in the ground truth (gt.csv)');
  });

  it('refuses duplicate image keys in either table, naming both lines', () => {
    expect(
      thrown(() =>
        evaluateClassification(
          gt([
            ['a', 'x'],
            ['a', 'y'],
          ]),
          pred([]),
        ),
      ).message,
    ).toBe('gt.csv line 3: duplicate image_key "a" (first on line 2)');
    expect(
      thrown(() =>
        evaluateClassification(
          gt([['a', 'x']]),
          pred([
            ['a', 'x'],
            ['a', 'y'],
          ]),
        ),
      ).message,
    ).toBe('pred.csv line 3: duplicate image_key "a" (first on line 2)');
  });

  it('refuses empty class names and image keys', () => {
    expect(thrown(() => evaluateClassification(gt([['a', '']]), pred([]))).message).toBe('gt.csv line 2: class is empty');
    expect(thrown(() => evaluateClassification(gt([['a', 'x']]), pred([['', 'x']]))).message).toBe('pred.csv line 2: image_key is empty');
  });

  it('refuses a score column that only some predictions fill, and non-finite scores', () => {
    const both = gt([
      ['a', 'x'],
      ['b', 'x'],
    ]);
    expect(
      thrown(() =>
        evaluateClassification(
          both,
          pred([
            ['a', 'x', 0.5],
            ['b', 'x'],
          ]),
        ),
      ).message,
    ).toBe('pred.csv line 3: score is missing (the first prediction has one)');
    expect(thrown(() => evaluateClassification(both, pred([['a', 'x', Infinity]]))).message).toBe('pred.csv line 2: score Infinity is not a finite number');
  });

  it('names the row position when rows carry no line numbers', () => {
    const err = thrown(() => evaluateClassification(classTable('ground truth', [{ imageKey: 'a', className: '' }]), classTable('run 7', [])));
    expect(err.message).toBe('ground truth row 1: class is empty');
    expect(err.details).toEqual({ source: 'ground truth', line: null, field: 'class', problem: 'class is empty' });
  });
});

describe('classificationOutcomes', () => {
  it('lists every ground-truth image as correct, wrong or missed', () => {
    const outcomes = classificationOutcomes(evaluateClassification(exampleGt, examplePred));
    expect(outcomes.map((o) => o.outcome)).toEqual(['correct', 'wrong', 'correct', 'correct', 'wrong', 'correct', 'missed', 'missed']);
    expect(outcomes[1]).toEqual({ imageKey: 'img2', trueClass: 'cat', predictedClass: 'dog', score: 0.8, outcome: 'wrong' });
    expect(outcomes[6]).toEqual({ imageKey: 'img7', trueClass: 'bird', predictedClass: null, score: null, outcome: 'missed' });
  });
});

describe('classificationDrillDown', () => {
  const evaluation = evaluateClassification(exampleGt, examplePred);

  it('opens precision of a class to its true and false positives', () => {
    expect(classificationDrillDown(evaluation, { metric: 'precision', className: 'cat' })).toEqual({
      sets: { tp: ['img1', 'img3'], fp: ['img5'] },
      numerator: ['tp'],
      denominator: ['tp', 'fp'],
    });
  });

  it('opens recall of a class to its true positives and false negatives, missed included', () => {
    expect(classificationDrillDown(evaluation, { metric: 'recall', className: 'cat' }).sets).toEqual({ tp: ['img1', 'img3'], fn: ['img2', 'img8'] });
  });

  it('opens a confusion cell and the missed column to exactly those images', () => {
    expect(classificationDrillDown(evaluation, { metric: 'confusion', trueClass: 'cat', predictedClass: 'dog' }).sets).toEqual({ images: ['img2'] });
    expect(classificationDrillDown(evaluation, { metric: 'confusion', trueClass: 'bird', predictedClass: null }).sets).toEqual({ images: ['img7'] });
  });

  it('opens accuracy to correct, wrong and missed images', () => {
    expect(classificationDrillDown(evaluation, { metric: 'accuracy' }).sets).toEqual({
      correct: ['img1', 'img3', 'img4', 'img6'],
      wrong: ['img2', 'img5'],
      missed: ['img7', 'img8'],
    });
  });

  it('has set sizes equal to the counts for every cell', () => {
    const { metrics } = evaluation;
    for (const className of metrics.classes) {
      const m = metrics.perClass[className];
      const sets = classificationDrillDown(evaluation, { metric: 'f1', className }).sets;
      expect([sets.tp?.length, sets.fp?.length, sets.fn?.length]).toEqual([m?.tp, m?.fp, m?.fn]);
      expect(classificationDrillDown(evaluation, { metric: 'specificity', className }).sets.tn?.length).toBe(m?.tn);
    }
    metrics.classes.forEach((t, ti) =>
      [...metrics.classes, null].forEach((p, pi) => {
        expect(classificationDrillDown(evaluation, { metric: 'confusion', trueClass: t, predictedClass: p }).sets.images?.length).toBe(metrics.confusion[ti]?.[pi]);
      }),
    );
    const micro = classificationDrillDown(evaluation, { metric: 'f1', average: 'micro' }).sets;
    // sum tp 4, fp 2, fn 4
    expect([micro.tp?.length, micro.fp?.length, micro.fn?.length]).toEqual([4, 2, 4]);
  });

  it('refuses a class the evaluation does not have', () => {
    expect(() => classificationDrillDown(evaluation, { metric: 'recall', className: 'horse' })).toThrow(RangeError);
  });
});
