import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/metrics');
const f = (name: string) => path.join(FIXTURES, name);

async function midc(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  // A workspace that does not exist: metrics must not need (or create) one.
  const env = { MIDC_WORKSPACE: path.join(os.tmpdir(), 'midc-metrics-no-workspace') };
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, env);
  return { code, stdout, stderr };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-metrics-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('midc metrics', () => {
  it('prints the classification JSON of DESIGN §7 for fixture files with BOM, CRLF and quotes', async () => {
    const { code, stdout, stderr } = await midc('metrics', '--gt', f('cls-gt.csv'), '--pred', f('cls-pred.csv'), '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(['classes', 'confusion', 'perClass', 'accuracy', 'macro', 'micro']);
    expect(result.classes).toEqual(['bird', 'cat', 'dog']);
    expect(result.confusion).toEqual([
      [1, 0, 0, 1],
      [0, 2, 1, 1],
      [0, 1, 1, 0],
    ]);
    expect(result.perClass.cat).toEqual({ tp: 2, fp: 1, fn: 2, tn: 3, support: 4, precision: 2 / 3, recall: 0.5, specificity: 0.75, f1: 4 / 7, auc: 0.6875 });
    expect(result.accuracy).toBe(0.5);
    expect(result.micro).toEqual({ precision: 4 / 6, recall: 0.5, f1: 8 / 14 });
  });

  it('adds the quantified-label score with --quant', async () => {
    const { code, stdout } = await midc('metrics', '--gt', f('pedestrian-gt.csv'), '--pred', f('pedestrian-pred.csv'), '--quant', f('pedestrian.json'), '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).quant).toEqual({
      name: 'pedestrian-braking',
      score: 1.1875,
      perClass: { figure3d: { score: 1.5 }, person: { score: 0.875 }, picture: { score: 1.5 } },
    });
  });

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await midc('metrics', '--gt', f('pedestrian-gt.csv'), '--pred', f('pedestrian-pred.csv'), '--quant', f('pedestrian.json'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^class\s+support\s+tp\s+fp\s+fn\s+precision\s+recall\s+specificity\s+f1$/m);
    expect(stdout).toMatch(/^person\s+4\s+1\s+2\s+3\s+0\.3333\s+0\.2500\s+0\.5000\s+0\.2857$/m);
    // p1, f1, q1 correct of 8
    expect(stdout).toContain('accuracy  0.3750');
    expect(stdout).toContain('quantified label "pedestrian-braking": score 1.1875');
  });

  it('detects the detection task from the box columns and computes AP', async () => {
    const { code, stdout } = await midc('metrics', '--gt', f('det-gt.csv'), '--pred', f('det-pred.csv'), '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.iou).toBe(0.5);
    expect(result.perClass.A).toEqual({ tp: 2, fp: 3, fn: 0, tn: null, support: 2, precision: 0.4, recall: 1, specificity: null, f1: 4 / 7, ap: 0.5 });
    expect(result.mAP).toBe(0.25);
    expect(result.accuracy).toBeNull();
  });

  it('applies --iou: the box at IoU exactly 0.5 no longer matches at 0.6', async () => {
    const { stdout } = await midc('metrics', '--task', 'detection', '--iou', '0.6', '--gt', f('det-gt.csv'), '--pred', f('det-pred.csv'), '--json');
    expect(JSON.parse(stdout).perClass.A).toMatchObject({ tp: 1, fp: 4, fn: 1 });
  });

  it('prints a detection table with AP and mAP', async () => {
    const { code, stdout } = await midc('metrics', '--gt', f('det-gt.csv'), '--pred', f('det-pred.csv'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^A\s+2\s+2\s+3\s+0\s+0\.4000\s+1\.0000\s+0\.5714\s+0\.5000$/m);
    expect(stdout).toContain('mAP       0.2500');
  });

  it('exits 2 naming file, line and field for a score that is not a number', async () => {
    const { code, stderr } = await midc('metrics', '--gt', f('cls-gt.csv'), '--pred', f('cls-pred-bad-score.csv'));
    expect(code).toBe(2);
    expect(stderr).toBe(`midc metrics: ${f('cls-pred-bad-score.csv')} line 3: score "abc" is not a number\n`);
  });

  it('exits 2 for a prediction of an unknown image, a duplicate key and an empty class', async () => {
    const unknown = await midc('metrics', '--gt', f('cls-gt.csv'), '--pred', f('cls-pred-unknown.csv'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`${f('cls-pred-unknown.csv')} line 3: image_key "img99" is not in the ground truth`);
    const duplicate = await midc('metrics', '--gt', f('cls-gt.csv'), '--pred', f('cls-pred-duplicate.csv'));
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain(`${f('cls-pred-duplicate.csv')} line 4: duplicate image_key "img1" (first on line 2)`);
    const empty = await midc('metrics', '--gt', f('cls-gt-empty-class.csv'), '--pred', f('cls-pred.csv'));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain(`${f('cls-gt-empty-class.csv')} line 3: class is empty`);
  });

  it('exits 2 for a negative box size and a malformed matrix, with the JSON error on stdout', async () => {
    const box = await midc('metrics', '--gt', f('det-gt.csv'), '--pred', f('det-pred-bad.csv'), '--json');
    expect(box.code).toBe(2);
    expect(box.stderr).toContain(`${f('det-pred-bad.csv')} line 3: w -3 is negative`);
    expect(JSON.parse(box.stdout).error).toMatchObject({ code: 'VALIDATION', details: { line: 3, field: 'w' } });
    const matrix = await midc('metrics', '--gt', f('pedestrian-gt.csv'), '--pred', f('pedestrian-pred.csv'), '--quant', f('quant-bad.json'));
    expect(matrix.code).toBe(2);
    expect(matrix.stderr).toContain(`${f('quant-bad.json')}: values.person.picture: `);
  });

  it('exits 2 for a missing header column, a wrong field count and a missing file', async () => {
    const header = await midc('metrics', '--gt', write('h.csv', 'image_key,label\na,x\n'), '--pred', f('cls-pred.csv'));
    expect(header.code).toBe(2);
    expect(header.stderr).toContain('h.csv line 1: the header has no "class" column (expected image_key,class, found image_key,label)');
    const fields = await midc('metrics', '--gt', write('n.csv', 'image_key,class\na,x\nb\n'), '--pred', f('cls-pred.csv'));
    expect(fields.stderr).toContain('n.csv line 3: expected 2 fields as in the header, found 1');
    const missing = await midc('metrics', '--gt', path.join(tmp, 'nope.csv'), '--pred', f('cls-pred.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.csv: cannot be read (ENOENT)');
  });

  it('exits 2 with the usage for missing or bad options', async () => {
    const noPred = await midc('metrics', '--gt', f('cls-gt.csv'));
    expect(noPred.code).toBe(2);
    expect(noPred.stderr).toContain('--pred PRED.csv is required');
    expect(noPred.stderr).toContain('Usage: midc metrics');
    expect((await midc('metrics', '--gt', 'a', '--pred', 'b', '--task', 'segmentation')).code).toBe(2);
    expect((await midc('metrics', '--gt', f('det-gt.csv'), '--pred', f('det-pred.csv'), '--iou', '1.5')).stderr).toContain('--iou must be a number in (0, 1]');
    expect((await midc('metrics', '--gt', f('cls-gt.csv'), '--pred', f('cls-pred.csv'), '--iou', '0.5')).stderr).toContain('--iou applies to detection only');
  });

  it('documents the missed column in its help', async () => {
    const { code, stdout } = await midc('help', 'metrics');
    expect(code).toBe(0);
    expect(stdout).toContain('extra trailing column');
  });
});
