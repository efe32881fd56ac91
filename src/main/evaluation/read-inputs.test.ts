import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readClassificationCsv, readDetectionGroundTruth, readDetectionPredictions } from './read-inputs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-read-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}
const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
};

describe('readClassificationCsv', () => {
  it('reads columns in any order, ignores extra columns and keeps line numbers', () => {
    const file = write('p.csv', 'score,note,class,image_key\n0.5,x,cat,a\n\n1e-3,"y, z",dog,b\n');
    expect(readClassificationCsv(file, 'pred')).toEqual({ source: file, imageKeys: ['a', 'b'], classNames: ['cat', 'dog'], lines: [2, 4], scores: [0.5, 0.001] });
  });

  it('gives every row of a class the same string', () => {
    const table = readClassificationCsv(write('g.csv', 'image_key,class\na,cat\nb,cat\n'), 'gt');
    expect(table.classNames).toEqual(['cat', 'cat']);
    expect(table).not.toHaveProperty('scores');
  });

  it('accepts decimal numbers and refuses what Number() alone would take', () => {
    const read = (score: string) => message(() => readClassificationCsv(write('n.csv', `image_key,class,score\na,x,${score}\n`), 'pred'));
    for (const ok of ['1', '-2', '+3', '.5', '5.', '1e5', '1.5E-3', '0']) expect(read(ok)).toBe('no error');
    for (const bad of ['0x10', '0b1', '0o7', 'Infinity', '-Infinity', ' 1', '1 ', 'abc', '1e', '--1', 'NaN', '.']) expect(read(bad)).toContain(`score "${bad}" is not a number`);
    expect(read('')).toContain('line 2: score is empty');
  });

  it('refuses a file that is not UTF-8 and an empty file', () => {
    expect(message(() => readClassificationCsv(write('bin.csv', Buffer.from([0x69, 0x6d, 0xff, 0xfe, 0x0a])), 'gt'))).toContain('bin.csv: is not UTF-8 text');
    expect(message(() => readClassificationCsv(write('empty.csv', ''), 'gt'))).toContain('empty.csv: the file is empty (no header line)');
  });

  it('refuses a header naming a column twice', () => {
    expect(message(() => readClassificationCsv(write('twice.csv', 'image_key,class,class\n'), 'gt'))).toContain('twice.csv line 1: column "class" appears twice in the header');
  });
});

describe('detection CSVs', () => {
  it('reads boxes and declares images without objects from rows with an empty class and box', () => {
    const file = write('dg.csv', 'image_key,class,x,y,w,h\ni1,A,1,2,3,4\ni2,,,,,\n');
    expect(readDetectionGroundTruth(file)).toEqual({ source: file, rows: [{ imageKey: 'i1', className: 'A', x: 1, y: 2, w: 3, h: 4, line: 2 }], emptyImages: ['i2'] });
  });

  it('names the field of a bad number', () => {
    expect(message(() => readDetectionGroundTruth(write('dg2.csv', 'image_key,class,x,y,w,h\ni1,A,1,2,,4\n')))).toContain('dg2.csv line 2: w is empty');
    expect(message(() => readDetectionPredictions(write('dp.csv', 'image_key,class,score,x,y,w,h\ni1,A,high,1,2,3,4\n')))).toContain('dp.csv line 2: score "high" is not a number');
  });
});
