import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { classTable, evaluateClassification } from '../metrics/classification';
import { evaluateDetection } from '../metrics/detection';
import { parseQuantMatrix, quantValue, spuriousValue } from './matrix';
import { classificationImageValues, scoreClassification, scoreDetection } from './score';

// DESIGN §2.6's pedestrian-braking example: correct = 2, person <-> figure3d (a near class: the
// car brakes either way) = 1, person -> picture (a harmful confusion: the car may not brake)
// = 0.5, missed = 0; the other confusions take the default 1.
const pedestrian = parseQuantMatrix(
  {
    name: 'pedestrian-braking',
    default: 1,
    values: {
      person: { person: 2, figure3d: 1, picture: 0.5, missed: 0 },
      figure3d: { figure3d: 2, person: 1, missed: 0 },
      picture: { picture: 2, missed: 0 },
    },
  },
  'pedestrian.json',
);

const rows = (pairs: [string, string][]) => pairs.map(([imageKey, className]) => ({ imageKey, className }));

describe('parseQuantMatrix', () => {
  it('refuses a malformed matrix with the path of each problem', () => {
    try {
      parseQuantMatrix({ name: 'm', default: 0, values: { person: { picture: 'half' } }, extra: 1 }, 'm.json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      const e = err as AppError;
      expect(e.code).toBe('VALIDATION');
      expect(e.message).toMatch(/^m\.json: /);
      expect(e.message).toContain('values.person.picture: ');
      expect(e.message).toContain('(top level): ');
      expect(e.message).toContain('extra');
    }
  });

  it('refuses a missing default and a non-finite value', () => {
    expect(() => parseQuantMatrix({ name: 'm', values: {} }, 'm.json')).toThrow(/default/);
    expect(() => parseQuantMatrix({ name: 'm', default: Infinity, values: {} }, 'm.json')).toThrow(/default/);
  });

  it('takes the default for a pair not listed, and never reads Object.prototype', () => {
    expect(quantValue(pedestrian, 'picture', 'person')).toBe(1);
    expect(quantValue(pedestrian, 'person', 'picture')).toBe(0.5);
    expect(quantValue(pedestrian, 'constructor', 'toString')).toBe(1);
    expect(quantValue(pedestrian, 'person', 'constructor')).toBe(1);
  });

  it('prices spurious boxes from a number, a per-class object or the default', () => {
    expect(spuriousValue(pedestrian, 'person')).toBe(1);
    expect(spuriousValue({ ...pedestrian, spurious: -1 }, 'person')).toBe(-1);
    expect(spuriousValue({ ...pedestrian, spurious: { person: -2 } }, 'person')).toBe(-2);
    expect(spuriousValue({ ...pedestrian, spurious: { person: -2 } }, 'picture')).toBe(1);
  });
});

describe('scoreClassification', () => {
  it('scores the pedestrian-braking example by hand', () => {
    const evaluation = evaluateClassification(
      classTable(
        'gt',
        rows([
          ['p1', 'person'],
          ['p2', 'person'],
          ['p3', 'person'],
          ['p4', 'person'],
          ['f1', 'figure3d'],
          ['f2', 'figure3d'],
          ['q1', 'picture'],
          ['q2', 'picture'],
        ]),
      ),
      classTable(
        'pred',
        rows([
          ['p1', 'person'], // 2
          ['p2', 'figure3d'], // 1
          ['p3', 'picture'], // 0.5
          // p4 missed: 0
          ['f1', 'figure3d'], // 2
          ['f2', 'person'], // 1
          ['q1', 'picture'], // 2
          ['q2', 'person'], // not listed: default 1
        ]),
      ),
    );
    const quant = scoreClassification(evaluation, pedestrian);
    // person (2 + 1 + 0.5 + 0)/4 = 0.875; figure3d (2 + 1)/2 = 1.5; picture (2 + 1)/2 = 1.5
    // overall (3.5 + 3 + 3)/8 = 1.1875
    expect(quant.summary).toEqual({
      name: 'pedestrian-braking',
      score: 1.1875,
      perClass: { figure3d: { score: 1.5 }, person: { score: 0.875 }, picture: { score: 1.5 } },
    });
    expect(Array.from(quant.values)).toEqual([2, 1, 0.5, 0, 2, 1, 2, 1]);
    // ranking by cost: the lowest value first
    const ranked = classificationImageValues(evaluation, quant).sort((a, b) => a.value - b.value);
    expect(ranked.slice(0, 2).map((r) => r.imageKey)).toEqual(['p4', 'p3']);
  });

  it('gives null scores when there are no ground-truth images', () => {
    const evaluation = evaluateClassification(classTable('gt', []), classTable('pred', []));
    expect(scoreClassification(evaluation, pedestrian).summary).toEqual({ name: 'pedestrian-braking', score: null, perClass: {} });
  });

  it('refuses a class named "missed", which the matrix reserves for the outcome', () => {
    const evaluation = evaluateClassification(classTable('gt', rows([['a', 'missed']])), classTable('pred', []));
    expect(() => scoreClassification(evaluation, pedestrian)).toThrow(/named "missed"/);
  });
});

describe('scoreDetection', () => {
  it('prices matched, confused, missed and spurious boxes by hand', () => {
    const evaluation = evaluateDetection(
      {
        source: 'gt',
        rows: [
          { imageKey: 'i1', className: 'person', x: 0, y: 0, w: 10, h: 10 }, // found as person: 2
          { imageKey: 'i1', className: 'person', x: 50, y: 0, w: 10, h: 10 }, // found as picture: 0.5
          { imageKey: 'i2', className: 'figure3d', x: 0, y: 0, w: 10, h: 10 }, // missed: 0
        ],
        emptyImages: ['i3'],
      },
      {
        source: 'pred',
        rows: [
          { imageKey: 'i1', className: 'person', score: 0.9, x: 0, y: 0, w: 10, h: 10 },
          { imageKey: 'i1', className: 'picture', score: 0.8, x: 50, y: 0, w: 10, h: 10 },
          { imageKey: 'i3', className: 'person', score: 0.7, x: 0, y: 0, w: 10, h: 10 }, // spurious: -1
          { imageKey: 'i1', className: 'person', score: 0.6, x: 0, y: 0, w: 10, h: 10 }, // duplicate: spurious -1
        ],
      },
      { iou: 0.5 },
    );
    // the metrics still see the picture box as an FP and the second person box as an FN
    expect(evaluation.metrics.perClass.person).toMatchObject({ tp: 1, fp: 2, fn: 1 });
    const quant = scoreDetection(evaluation, { ...pedestrian, spurious: { person: -1 } });
    expect(quant.items.map((i) => [i.outcome, i.value])).toEqual([
      ['correct', 2],
      ['confused', 0.5],
      ['missed', 0],
      ['spurious', -1],
      ['spurious', -1],
    ]);
    // score (2 + 0.5 + 0 - 1 - 1)/5 = 0.1; person (2 + 0.5)/2; figure3d 0/1; picture has no boxes
    expect(quant.summary.score).toBeCloseTo(0.1, 15);
    expect(quant.summary.perClass).toEqual({ figure3d: { score: 0 }, person: { score: 1.25 }, picture: { score: null } });
    expect(quant.summary.spurious).toEqual({ count: 2, score: -1 });
    // i1: (2 + 0.5 - 1)/3 = 0.5; i2: 0; i3: -1
    expect(quant.images).toEqual([
      { imageKey: 'i1', value: 0.5, items: 3 },
      { imageKey: 'i2', value: 0, items: 1 },
      { imageKey: 'i3', value: -1, items: 1 },
    ]);
  });
});
