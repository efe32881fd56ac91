import { afterAll, describe, expect, it } from 'vitest';
import { sender, tempDir, TEST_ORIGIN } from '../../../test/helpers/workspace';
import type { CompareView, DrillView, PlanView, RunnerResult, RunnerView, RunSummary, RunView } from '../../shared/contract';
import { createApp } from '../app';
import { EXIT } from '../cli/command';
import { runCli } from '../cli/run';
import { DEMO_PASSWORD } from '../demo/demo';

const dir = tempDir('midc-demo-test-');
afterAll(() => dir.cleanup());

async function midc(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('midc init --demo', () => {
  it('creates demo studies, ground truth, two computed runs and a quantified label, and midc verify passes', async () => {
    const init = await midc('init', '--demo', '--workspace', dir.dir, '--json');
    expect(init.code, init.stderr).toBe(EXIT.OK);
    const result = JSON.parse(init.stdout) as { demo: { evaluation: { images: number; runs: { name: string; accuracy: number }[]; quantifiedLabel: string } } };
    expect(result.demo.evaluation).toMatchObject({ images: 36, quantifiedLabel: 'Clinical harm' });
    const [v1, v2] = result.demo.evaluation.runs;
    expect(v1?.accuracy).toBeCloseTo(17 / 24);
    expect(v2?.accuracy).toBeCloseTo(21 / 24);

    const verify = await midc('verify', '--workspace', dir.dir, '--json');
    expect(verify.code, verify.stdout + verify.stderr).toBe(EXIT.OK);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, audit: { ok: true } });
  });

  it('lets the demo engineer compare the two runs, see the quantified score and drill into an error', async () => {
    const app = createApp({ workspaceDir: dir.dir, host: 'chromium', appOrigin: TEST_ORIGIN });
    try {
      const eve = sender('eve');
      const login = await app.dispatch(eve, 'auth:login', { username: 'engineer', password: DEMO_PASSWORD });
      expect(login.ok).toBe(true);
      const runs = await app.dispatch(eve, 'runs:list', {});
      if (!runs.ok) throw new Error(runs.error.message);
      const list = runs.value as RunSummary[];
      expect(list.map((r) => [r.name, r.status])).toEqual([
        ['DemoNet v1', 'computed'],
        ['DemoNet v2', 'computed'],
      ]);
      const [v1, v2] = list as [RunSummary, RunSummary];
      const got = await app.dispatch(eve, 'runs:get', { id: v2.id });
      if (!got.ok) throw new Error(got.error.message);
      const run = got.value as RunView;
      expect(run.stale).toBeNull();
      expect(run.leakageConfirmed).toBe(false);
      expect(run.metrics?.quant).toEqual([expect.objectContaining({ name: 'Clinical harm', score: expect.any(Number) })]);
      expect(run.standards.map((s) => [s.name, s.pass])).toEqual([
        ['Accuracy ≥ 0.8', true],
        ['Malignant recall ≥ 0.75', true],
        ['Clinical harm ≥ 1.6', true],
      ]);
      const cmp = await app.dispatch(eve, 'runs:compare', { runIds: [v1.id, v2.id], baselineId: v1.id });
      if (!cmp.ok) throw new Error(cmp.error.message);
      const view = cmp.value as CompareView;
      expect(view.rows.find((r) => r.metric === 'accuracy')?.deltas[v2.id]).toBeCloseTo(4 / 24);
      expect(view.rows.some((r) => r.metric === 'quant Clinical harm' && r.className === null)).toBe(true);
      const drill = await app.dispatch(eve, 'runs:drill', { runId: v1.id, cell: { metric: 'precision', className: 'malignant' } });
      if (!drill.ok) throw new Error(drill.error.message);
      expect((drill.value as DrillView).sets.fp).toHaveLength(1);
    } finally {
      app.close();
    }
  });
  it('leaves the example runner loop working: the demo plan, labelled training set and runner produce a computed run', async () => {
    const app = createApp({ workspaceDir: dir.dir, host: 'chromium', appOrigin: TEST_ORIGIN });
    try {
      const eve = sender('eve-runner');
      expect((await app.dispatch(eve, 'auth:login', { username: 'engineer', password: DEMO_PASSWORD })).ok).toBe(true);
      const value = async <T>(channel: string, payload: unknown): Promise<T> => {
        const r = await app.dispatch(eve, channel, payload);
        if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
        return r.value as T;
      };
      const [plan] = await value<PlanView[]>('plans:list', {});
      expect(plan).toMatchObject({ name: 'DemoNet training', modelName: 'DemoNet' });
      if (!plan) throw new Error('no demo plan');
      const runners = await value<RunnerView[]>('runner:list', {});
      expect(runners).toEqual([expect.objectContaining({ modelId: plan.modelId, argv: [expect.any(String), expect.stringMatching(/resources[\\/]runner[\\/]nearest-mean\.mjs$/), '{manifest}'] })]);
      const test = (await value<{ id: number; name: string }[]>('datasets:list', {})).find((d) => d.name === 'Demo application test');
      if (!test) throw new Error('no demo test set');
      const run = await value<RunView>('runs:create', { name: 'DemoNet nearest mean', modelId: plan.modelId, planId: plan.id, datasetId: test.id, parameterValues: plan.parameterValues });
      const result = await value<RunnerResult>('runner:start', { runId: run.id });
      expect(result.logTail.join('\n')).toMatch(/trained 3 class means on 12 images/);
      expect(result).toMatchObject({ status: 'done', exitCode: 0, import: { imported: true, report: { rowsTotal: 24, rowsAccepted: 24, problems: [] } } });
      const view = await value<RunView>('runs:get', { id: run.id });
      expect(view.status).toBe('computed');
      expect(view.metrics?.task === 'classification' && view.metrics.accuracy).toBeGreaterThan(0.5);
    } finally {
      app.close();
    }
  });
});
