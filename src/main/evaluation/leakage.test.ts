import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICOM_FIXTURES } from '../../../test/helpers/built';
import type { DatasetSummary, GroundTruthImportResult, LeakageReport, PlanView, RunView } from '../../shared/contract';
import { createWorld, type World } from './test-support/world';

let w: World;
let modelId: number;
let trainingId: number;
let testId: number;

/**
 * Another slice of MR_small's patient: the same file with new SOP and Series UIDs (same length,
 * so the DICOM lengths stay valid) and its pixels turned by 180°, so bytes, UIDs and pixels all
 * differ and only the patient is shared.
 */
function otherSliceOfSamePatient(dir: string): string {
  const bytes = Buffer.from(fs.readFileSync(path.join(DICOM_FIXTURES, 'MR_small.dcm')));
  for (const [from, to] of [
    ['1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457', '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5458'],
    ['1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457', '1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5458'],
  ] as const) {
    let at = bytes.indexOf(from);
    while (at >= 0) {
      bytes.write(to, at, 'latin1');
      at = bytes.indexOf(from, at + 1);
    }
  }
  const pixels = 64 * 64 * 2; // 16-bit pixels after the (7FE0,0010) OW header of explicit VR
  const start = bytes.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00])) + 12;
  const turned = Buffer.alloc(pixels);
  for (let i = 0; i < pixels; i += 2) bytes.copy(turned, pixels - 2 - i, start + i, start + i + 2);
  turned.copy(bytes, start);
  const file = path.join(dir, 'MR_other_slice.dcm');
  fs.writeFileSync(file, bytes);
  return file;
}

beforeAll(async () => {
  w = await createWorld();
  const fixtures = ['MR_small.dcm', 'MR_small_implicit.dcm', 'CT_small.dcm', 'JPEG-lossy.dcm', 'no_meta.dcm', 'liver_1frame.dcm', 'badVR.dcm'].map((f) => path.join(DICOM_FIXTURES, f));
  await w.importFiles([...fixtures, otherSliceOfSamePatient(w.files)]);
  const id = (name: string) => w.imageId(name);
  modelId = (await w.ok<{ id: number }>(w.admin, 'models:create', { name: 'MRNet', task: 'classification' })).id;
  trainingId = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'MR training', purpose: 'training', filter: { ids: [id('MR_small.dcm'), id('CT_small.dcm')] } })).id;
  testId = (
    await w.ok<{ id: number }>(w.engineer, 'datasets:create', {
      name: 'MR test',
      purpose: 'application_test',
      filter: { ids: [id('MR_small.dcm'), id('MR_small_implicit.dcm'), id('MR_other_slice.dcm'), id('JPEG-lossy.dcm')] },
    })
  ).id;
});
afterAll(() => w.cleanup());

describe('training plans', () => {
  it('record model, parameter values, training sets and notes, and freeze the training set', async () => {
    const plan = await w.ok<PlanView>(w.engineer, 'plans:create', { name: 'MRNet baseline', modelId, datasets: [{ datasetId: trainingId }], notes: 'trained on the MR set' });
    expect(plan).toMatchObject({ modelName: 'MRNet', datasets: [{ datasetId: trainingId, name: 'MR training', version: 1 }], notes: 'trained on the MR set', createdBy: 'eve' });
    expect(await w.ok<PlanView[]>(w.admin, 'plans:list', {})).toHaveLength(1);
    expect(await w.app.dispatch(w.admin, 'plans:create', { name: 'x', modelId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(w.app.services.db.prepare('SELECT frozen_at FROM dataset_versions WHERE dataset_id = ?').get(trainingId)).not.toEqual({ frozen_at: null });
  });
});

describe('the leakage check', () => {
  it('finds an identical file, a re-encoding (same pixels, same SOP) and another image of the same patient', async () => {
    const report = await w.ok<LeakageReport>(w.engineer, 'leakage:check', { modelId, datasetId: testId });
    const mr = w.imageId('MR_small.dcm');
    const implicit = w.imageId('MR_small_implicit.dcm');
    const other = w.imageId('MR_other_slice.dcm');
    // Images are imported in parallel, so their ids do not follow the file order: compare as sorted lists.
    const byTestImage = (list: number[][]) => [...list].sort((a, b) => (a[0] as number) - (b[0] as number));
    const pairs = (reason: keyof LeakageReport['reasons']) => byTestImage(report.reasons[reason].map((p) => [p.testImageId, p.trainingImageId]));
    expect(pairs('identical')).toEqual([[mr, mr]]);
    expect(pairs('sopInstance')).toEqual(
      byTestImage([
        [mr, mr],
        [implicit, mr],
      ]),
    );
    expect(pairs('nearDuplicate')).toEqual(
      byTestImage([
        [mr, mr],
        [implicit, mr],
      ]),
    );
    expect(pairs('patient')).toEqual(
      byTestImage([
        [mr, mr],
        [implicit, mr],
        [other, mr],
      ]),
    );
    expect(report.reasons.patient.find((p) => p.testImageId === other)?.detail).toBe('4MR1');
    expect(pairs('series')).toEqual(
      byTestImage([
        [mr, mr],
        [implicit, mr],
      ]),
    );
    expect(report.testImageIds).toEqual([mr, implicit, other].sort((a, b) => a - b));
    expect(report.clean).toBe(false);
  });

  it('makes recording the run need an explicit confirmation, and keeps the confirmed overlap with the run', async () => {
    const refused = await w.app.dispatch(w.engineer, 'runs:create', { name: 'MRNet on MR test', modelId, datasetId: testId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { leakage: { clean: false } } } });
    expect(w.app.services.db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 });
    const run = await w.ok<RunView>(w.engineer, 'runs:create', { name: 'MRNet on MR test', modelId, datasetId: testId, confirmLeakage: true });
    expect(run.leakageConfirmed).toBe(true);
    expect(run.leakage?.testImageIds).toHaveLength(3);
  });
});

describe('splitting a dataset', () => {
  it('is deterministic for a seed, never puts one patient in two parts, and copies the ground truth', async () => {
    const all = (w.app.services.db.prepare('SELECT id FROM images ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    const pool = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'All MR/CT', purpose: 'training', filter: { ids: all } })).id;
    const gtText = ['image_key,class', ...all.map((id, i) => `${(w.app.services.db.prepare('SELECT sha256 FROM images WHERE id = ?').get(id) as { sha256: string }).sha256},${i % 2 ? 'a' : 'b'}`)].join('\n');
    expect(await w.ok<GroundTruthImportResult>(w.engineer, 'groundTruth:import', { datasetId: pool, task: 'classification', source: { name: 'gt.csv', text: gtText } })).toMatchObject({ imported: true });
    const split = (suffix: string) =>
      w.ok<DatasetSummary[]>(w.engineer, 'datasets:split', {
        datasetId: pool,
        seed: 'fold-1',
        parts: [
          { name: `train ${suffix}`, purpose: 'training', fraction: 0.6 },
          { name: `val ${suffix}`, purpose: 'training_test', fraction: 0.4 },
        ],
      });
    const first = await split('A');
    const second = await split('B');
    const members = async (parts: DatasetSummary[]) => Promise.all(parts.map((p) => w.ok<number[]>(w.engineer, 'datasets:imageIds', { id: p.id })));
    const [a1, a2] = await members(first);
    const [b1, b2] = await members(second);
    expect([a1, a2]).toEqual([b1, b2]);
    expect((a1 as number[]).length + (a2 as number[]).length).toBe(all.length);
    const patientsOf = (ids: number[]) =>
      new Set((w.app.services.db.prepare('SELECT patient_id FROM images WHERE id IN (SELECT value FROM json_each(?)) AND patient_id IS NOT NULL').all(JSON.stringify(ids)) as { patient_id: string }[]).map((r) => r.patient_id));
    const p1 = patientsOf(a1 as number[]);
    for (const p of patientsOf(a2 as number[])) expect(p1.has(p)).toBe(false);
    expect(first.map((d) => d.purpose)).toEqual(['training', 'training_test']);
    const gt = await w.ok<{ imageCount: number; mode: string }>(w.engineer, 'groundTruth:get', { datasetId: (first[1] as DatasetSummary).id, task: 'classification' });
    expect(gt).toMatchObject({ imageCount: (a2 as number[]).length, mode: 'copy' });
    expect(await w.app.dispatch(w.engineer, 'datasets:split', { datasetId: pool, seed: 's', parts: [{ name: 'x', purpose: 'training', fraction: 0.5 }, { name: 'y', purpose: 'training', fraction: 0.4 }] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });
});
