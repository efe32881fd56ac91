import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../shared/contract';
import { createWorld, type World } from './test-support/world';
import { writeSyntheticImages } from './synthetic-images';

let w: World;
let training: number;
let testA: number;
let testB: number;
let modelA: number;
let modelB: number;

beforeAll(async () => {
  w = await createWorld();
  const images = writeSyntheticImages(path.join(w.files, 'img'), 12, ['normal', 'benign'], 5, 'p');
  await w.importFiles(images.map((i) => i.file));
  const ids = images.map((i) => w.imageId(path.basename(i.file)));
  training = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'train', purpose: 'training', filter: { ids: ids.slice(0, 4) } })).id;
  testA = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'test A', purpose: 'application_test', filter: { ids: ids.slice(4, 8) } })).id;
  testB = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'test B', purpose: 'training_test', filter: { ids: ids.slice(8) } })).id;
  modelA = (await w.ok<{ id: number }>(w.admin, 'models:create', { name: 'Alpha', task: 'classification' })).id;
  modelB = (await w.ok<{ id: number }>(w.admin, 'models:create', { name: 'Beta', task: 'classification' })).id;
});
afterAll(() => w.cleanup());

async function refused(payload: Record<string, unknown>): Promise<{ code: string; message: string }> {
  const r = await w.app.dispatch(w.engineer, 'runs:create', payload);
  if (r.ok) throw new Error('the run was created');
  return r.error;
}

describe('a run created from a training plan', () => {
  it('is refused when its model is not the plan model, naming both models', async () => {
    const plan = (await w.ok<{ id: number }>(w.engineer, 'plans:create', { name: 'alpha plan', modelId: modelA, datasets: [{ datasetId: training }] })).id;
    const error = await refused({ name: 'wrong model', modelId: modelB, planId: plan, datasetId: testA });
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/"alpha plan" is for model "Alpha", not for model "Beta"/);
    expect(await w.ok<RunView>(w.engineer, 'runs:create', { name: 'fine', modelId: modelA, planId: plan, datasetId: testA })).toMatchObject({ planId: plan, datasetId: testA });
  });

  it('is refused for an unknown plan', async () => {
    expect(await refused({ name: 'ghost', modelId: modelA, planId: 9999, datasetId: testA })).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/Training plan 9999/) });
  });

  it('must use the test set the plan names, at the plan version', async () => {
    const plan = (await w.ok<{ id: number }>(w.engineer, 'plans:create', { name: 'beta plan', modelId: modelB, datasets: [{ datasetId: training }, { datasetId: testB }] })).id;
    const other = await refused({ name: 'other set', modelId: modelB, planId: plan, datasetId: testA });
    expect(other.code).toBe('VALIDATION');
    expect(other.message).toMatch(/"beta plan" names the test set "test B" v1; a run of this plan cannot use "test A"/);
    expect(await refused({ name: 'other version', modelId: modelB, planId: plan, datasetId: testB, version: 2 })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/names "test B" version 1/) });
    const run = await w.ok<RunView>(w.engineer, 'runs:create', { name: 'planned', modelId: modelB, planId: plan, datasetId: testB });
    expect(run).toMatchObject({ planId: plan, datasetId: testB, datasetVersion: 1 });
    // The plan's test set is not one of the model's training sets: no leakage with itself.
    expect(run.leakageConfirmed).toBe(false);
  });
});
