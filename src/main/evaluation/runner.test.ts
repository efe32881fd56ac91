import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunnerLogEvent, RunnerResult, RunView } from '../../shared/contract';
import { createWorld, type World } from './test-support/world';
import { writeSyntheticImages } from './synthetic-images';

const SCRIPT = path.resolve(__dirname, '../../../resources/runner/nearest-mean.mjs');
let w: World;
let modelId: number;
let planId: number;
let testSet: number;

beforeAll(async () => {
  w = await createWorld();
  const images = writeSyntheticImages(path.join(w.files, 'img'), 30, ['normal', 'benign', 'malignant'], 11, 'r');
  await w.importFiles(images.map((i) => i.file));
  const ids = images.map((i) => w.imageId(path.basename(i.file)));
  const training = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'train', purpose: 'training', filter: { ids: ids.slice(0, 15) } })).id;
  testSet = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'test', purpose: 'application_test', filter: { ids: ids.slice(15) } })).id;
  const gt = (from: number, to: number) => ['image_key,class', ...images.slice(from, to).map((i) => `${path.basename(i.file)},${i.className}`)].join('\n');
  await w.ok(w.engineer, 'groundTruth:import', { datasetId: training, task: 'classification', source: { name: 'train.csv', text: gt(0, 15) } });
  await w.ok(w.engineer, 'groundTruth:import', { datasetId: testSet, task: 'classification', source: { name: 'test.csv', text: gt(15, 30) } });
  modelId = (await w.ok<{ id: number }>(w.admin, 'models:create', { name: 'NearestMean', task: 'classification' })).id;
  planId = (await w.ok<{ id: number }>(w.engineer, 'plans:create', { name: 'nm', modelId, datasets: [{ datasetId: training }] })).id;
});
afterAll(() => w.cleanup());

describe('the local runner', () => {
  it('runs the example nearest-mean script on a manifest, streams its log and imports its predictions', async () => {
    expect(await w.app.dispatch(w.engineer, 'runner:register', { modelId, argv: ['node', SCRIPT, '{manifest}'] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await w.ok(w.admin, 'runner:register', { modelId, argv: [process.execPath, SCRIPT, '{manifest}'], timeoutSeconds: 60 });
    const run = await w.ok<RunView>(w.engineer, 'runs:create', { name: 'nm run', modelId, planId, datasetId: testSet });
    const events: RunnerLogEvent[] = [];
    const detach = w.app.services.events.attach(w.engineer.id, (event, payload) => event === 'runner:log' && events.push(payload as RunnerLogEvent));
    const result = await w.ok<RunnerResult>(w.engineer, 'runner:start', { runId: run.id });
    detach();
    expect(result).toMatchObject({ status: 'done', exitCode: 0 });
    expect(result.import).toMatchObject({ imported: true, report: { rowsTotal: 15, rowsAccepted: 15, problems: [] } });
    expect(events.map((e) => e.text).join('')).toMatch(/trained 3 class means on 15 images/);
    const view = await w.ok<RunView>(w.expert, 'runs:get', { id: run.id });
    expect(view.status).toBe('computed');
    expect(view.metrics?.task === 'classification' && view.metrics.accuracy).toBeGreaterThan(0.5);
  });

  it('stops a command at its timeout, and a cancelled one on request', async () => {
    const sleeper = [process.execPath, '-e', 'setTimeout(() => {}, 60000)'];
    await w.ok(w.admin, 'runner:register', { modelId, argv: sleeper, timeoutSeconds: 1 });
    const run = await w.ok<RunView>(w.engineer, 'runs:create', { name: 'sleepy', modelId, planId, datasetId: testSet });
    expect(await w.ok<RunnerResult>(w.engineer, 'runner:start', { runId: run.id })).toMatchObject({ status: 'timeout', import: null });
    await w.ok(w.admin, 'runner:register', { modelId, argv: sleeper, timeoutSeconds: 600 });
    const started = w.ok<RunnerResult>(w.engineer, 'runner:start', { runId: run.id });
    await new Promise((r) => setTimeout(r, 300));
    expect(await w.ok(w.engineer, 'runner:cancel', { runId: run.id })).toEqual({ cancelled: true });
    expect(await started).toMatchObject({ status: 'cancelled', import: null });
  });
});
