import { describe, expect, it } from 'vitest';
import { evaluateClassification } from '../../shared/metrics/classification';
import { evaluateClassificationBytes, headerColumns } from './fast-classification';
import { csvHeader, readClassificationCsv } from './read-inputs';

/** A tiny deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLASSES = ['normal', 'Nodule', 'mass', 'ground glass', '结节', 'é', 'a'];

/** The string path, as `midc metrics` ran it before the byte reader. */
function viaStrings(gt: string, pred: string) {
  return evaluateClassification(readClassificationCsv('gt.csv', 'gt', gt), readClassificationCsv('pred.csv', 'pred', pred));
}

function files(seed: number, opts: { scores: boolean; crlf: boolean; bom: boolean; shuffle: boolean; extra: boolean }) {
  const r = random(seed);
  const n = 50 + Math.floor(r() * 400);
  const eol = opts.crlf ? '\r\n' : '\n';
  const keys = Array.from({ length: n }, (_, i) => `1.2.3.${1000 + i}${r() < 0.1 ? 'ü' : ''}`);
  const gt = [opts.extra ? 'note,class,image_key' : 'image_key,class', ...keys.map((k) => (opts.extra ? `x,${CLASSES[Math.floor(r() * CLASSES.length)]},${k}` : `${k},${CLASSES[Math.floor(r() * CLASSES.length)]}`))];
  const rows = keys.filter(() => r() > 0.1);
  if (opts.shuffle) rows.sort(() => r() - 0.5);
  // Few distinct scores: ties, which the AUC counts as halves.
  const score = () => (['0.5', '0.25', '1', '0', '0.875', '0.1', '-0.0', '12.000001', '3.'][Math.floor(r() * 9)] as string);
  const pred = [opts.scores ? 'score,image_key,class' : 'image_key,class', ...rows.map((k) => `${opts.scores ? `${score()},` : ''}${k},${CLASSES[Math.floor(r() * CLASSES.length)]}`)];
  const text = (lines: string[]) => (opts.bom ? '\uFEFF' : '') + lines.join(eol) + (r() < 0.5 ? eol : '') + (r() < 0.3 ? `${eol}${eol}` : '');
  return { gt: text(gt), pred: text(pred) };
}

describe('the byte-level classification reader of midc metrics', () => {
  it('gives exactly the figures of the string path on random files (scores, ties, CRLF, BOM, order, extra columns, UTF-8 names)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const opts = { scores: seed % 2 === 0, crlf: seed % 3 === 0, bom: seed % 5 === 0, shuffle: seed % 4 === 0, extra: seed % 7 === 0 };
      const { gt, pred } = files(seed, opts);
      const fast = evaluateClassificationBytes(Buffer.from(gt), Buffer.from(pred), true);
      expect(fast, `seed ${seed}`).not.toBeNull();
      const slow = viaStrings(gt, pred);
      expect(fast?.metrics, `seed ${seed}`).toEqual(slow.metrics);
      expect(JSON.stringify(fast?.metrics)).toBe(JSON.stringify(slow.metrics));
      expect(fast?.imageKeys).toEqual(slow.imageKeys);
      expect(fast?.trueClass).toEqual(slow.trueClass);
      expect(fast?.predictedClass).toEqual(slow.predictedClass);
      expect(fast?.scores).toEqual(slow.scores);
      expect(headerColumns(Buffer.from(gt))).toEqual(csvHeader(gt, 'gt.csv'));
    }
  });

  it('reads plain decimals to the same doubles as Number()', () => {
    const values = ['0.1', '0.3', '0.7', '0.12345678901234', '3.', '999999999999999', '0.000001', '-1.5', '2.675', '1.005', '0.9999'];
    const gt = ['image_key,class', ...values.map((_, i) => `k${i},a`), 'z,b'].join('\n');
    const pred = ['image_key,class,score', ...values.map((v, i) => `k${i},a,${v}`)].join('\n');
    const fast = evaluateClassificationBytes(Buffer.from(gt), Buffer.from(pred), false);
    expect(Array.from(fast?.scores ?? []).slice(0, values.length)).toEqual(values.map(Number));
  });

  it('leaves every file the string path must judge to it (null)', () => {
    const gt = 'image_key,class\na,x\nb,y\n';
    const cases: [string, string, string][] = [
      ['a quote', 'image_key,class\n"a",x\nb,y\n', 'image_key,class\na,x\n'],
      ['a lone CR', 'image_key,class\na,x\rb,y\n', 'image_key,class\na,x\n'],
      ['a lone CR in the header', 'image_key,class\r,z\na,x,1\n', 'image_key,class\na,x\n'],
      ['no class column', 'image_key,label\na,x\n', 'image_key,class\na,x\n'],
      ['a repeated column', 'image_key,class,class\na,x,x\n', 'image_key,class\na,x\n'],
      ['a short row', gt, 'image_key,class,score\na,x\n'],
      ['an empty key', 'image_key,class\n,x\n', 'image_key,class\n'],
      ['an empty class', gt, 'image_key,class\na,\n'],
      ['a duplicate ground-truth key', 'image_key,class\na,x\na,y\n', 'image_key,class\n'],
      ['a duplicate prediction', gt, 'image_key,class\na,x\na,y\n'],
      ['an unknown image', gt, 'image_key,class\nc,x\n'],
      ['an exponent', gt, 'image_key,class,score\na,x,1e-3\n'],
      ['a plus sign', gt, 'image_key,class,score\na,x,+0.5\n'],
      ['an empty score', gt, 'image_key,class,score\na,x,\n'],
      ['too many digits', gt, 'image_key,class,score\na,x,0.1234567890123456\n'],
      ['an empty file', '', 'image_key,class\n'],
    ];
    for (const [what, g, p] of cases) expect(evaluateClassificationBytes(Buffer.from(g), Buffer.from(p), false), what).toBeNull();
    expect(evaluateClassificationBytes(Buffer.from(gt), Buffer.from([0x69, 0x6d, 0xff, 0x0a]), false)).toBeNull();
    expect(headerColumns(Buffer.from('"image_key",class\n'))).toBeNull();
    expect(headerColumns(Buffer.from('\n\n image_key , class \n'))).toEqual(['image_key', 'class']);
  });
});
