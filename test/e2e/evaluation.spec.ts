/**
 * Issue 5 e2e acceptance: on the demo workspace (`midc init --demo`), an engineer records a
 * training plan, imports a predictions CSV with one bad row (sees the report), fixes it,
 * imports, sees the metrics; the algorithm admin registers the example runner
 * (resources/runner/nearest-mean.mjs) and the engineer runs it from the UI on a new run and
 * sees its results appear. Screen and database are both checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { storeGroundTruth } from '../../src/main/evaluation/ground-truth';
import { expect, launchInTemp, test, type TempHost } from './fixtures';
import { demoWorkspace, login } from './session';

test.describe.configure({ timeout: 180_000 });

const SCRIPT = path.resolve(__dirname, '../../resources/runner/nearest-mean.mjs');
/** The demo's synthetic images: `study-NNN.png` has class CLASSES[(NNN - 1) % 3] (writeSyntheticImages). */
const CLASSES = ['normal', 'benign', 'malignant'] as const;

async function logout(page: Page): Promise<void> {
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-form')).toBeVisible();
}

/** The wizard's first step for a new run of DemoNet on the demo test set under a plan; confirms a leakage overlap if one is found. */
async function recordRun(page: Page, name: string, ids: { model: number; plan: number; testSet: number }): Promise<void> {
  await page.getByTestId('runs-new').click();
  const wizard = page.getByTestId('import-wizard');
  await wizard.getByTestId('wizard-name').fill(name);
  await wizard.getByTestId('wizard-model').selectOption(String(ids.model));
  await wizard.getByTestId('wizard-plan').selectOption(String(ids.plan));
  // The plan's parameter values are the run's starting values.
  await expect(wizard.getByTestId('wizard-param-epochs')).toHaveValue('20');
  await expect(wizard.getByTestId('wizard-param-optimizer')).toHaveValue('sgd');
  await wizard.getByTestId('wizard-dataset').selectOption(String(ids.testSet));
  await wizard.getByTestId('wizard-run-next').click();
  const leakage = page.getByTestId('leakage-dialog');
  const fileForm = wizard.getByTestId('wizard-file-form');
  await expect(leakage.or(fileForm)).toBeVisible();
  if (await leakage.isVisible()) {
    await leakage.getByTestId('leakage-seen').check();
    await leakage.getByTestId('leakage-confirm').click();
  }
  await expect(fileForm).toBeVisible();
}

test.describe('training plans, result import and the local runner', () => {
  let host: TempHost;
  let dir: string;

  test.beforeEach(async () => {
    dir = await demoWorkspace('evaluation');
    host = await launchInTemp({ workspaceDir: dir });
  });
  test.afterEach(async () => {
    await host?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an engineer records a plan, fixes a refused predictions file, and runs the example runner from the UI', async () => {
    const { page } = host;
    const db = host.app.services.db;
    const model = db.prepare("SELECT id FROM models WHERE name = 'DemoNet'").get() as { id: number };
    const trainSet = db.prepare("SELECT id FROM datasets WHERE name = 'Demo training set'").get() as { id: number };
    const testSet = db.prepare("SELECT id FROM datasets WHERE name = 'Demo application test'").get() as { id: number };
    const trainImages = db
      .prepare('SELECT im.id, im.original_name AS name FROM dataset_images i JOIN dataset_versions v ON v.id = i.version_id JOIN images im ON im.id = i.image_id WHERE v.dataset_id = ? ORDER BY im.id')
      .all(trainSet.id) as { id: number; name: string }[];
    expect(trainImages.length).toBe(12);
    // The demo labels only its test set; the runner trains on labelled images, so the training
    // set gets its ground truth here (the classes the synthetic images were drawn with).
    db.transaction(() =>
      storeGroundTruth(db, {
        datasetId: trainSet.id,
        task: 'classification',
        sourceName: 'e2e-training-ground-truth.csv',
        mode: 'replace',
        items: trainImages.map((im) => ({ imageId: im.id, className: CLASSES[(Number(/(\d+)\.png$/.exec(im.name)?.[1]) - 1) % 3] as string, box: null })),
        refused: [],
        createdBy: null,
        createdAt: new Date().toISOString(),
      }),
    )();
    const testImages = db
      .prepare(
        `SELECT im.original_name AS name, im.sha256 AS sha, gi.class_name AS truth
           FROM gt_items gi JOIN images im ON im.id = gi.image_id
          WHERE gi.gt_set_id = (SELECT MAX(id) FROM gt_sets WHERE dataset_id = ?) ORDER BY im.id`,
      )
      .all(testSet.id) as { name: string; sha: string; truth: string }[];
    expect(testImages.length).toBe(24);

    // 1. The engineer records a training plan.
    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-plans').click();
    const form = page.getByTestId('plan-create-form');
    await form.getByTestId('plan-name').fill('Nearest mean on the demo training set');
    await form.getByTestId('plan-model').selectOption(String(model.id));
    await form.getByTestId('plan-param-epochs').fill('20');
    await form.getByTestId('plan-param-optimizer').selectOption('sgd');
    await form.getByTestId(`plan-dataset-${trainSet.id}`).check();
    await form.getByTestId(`plan-dataset-version-${trainSet.id}`).fill('1');
    await form.getByTestId('plan-notes').fill('Baseline: class means of 8x8 thumbnails.');
    await form.getByTestId('plan-create-submit').click();
    await expect(form.getByTestId('plan-create-done')).toBeVisible();
    const plansGrid = page.getByTestId('plans-grid');
    await expect(plansGrid).toContainText('Nearest mean on the demo training set');
    await expect(plansGrid).toContainText('Demo training set v1');
    const plan = db.prepare("SELECT id, model_id, parameter_values, notes FROM training_plans WHERE name = 'Nearest mean on the demo training set'").get() as {
      id: number;
      model_id: number;
      parameter_values: string;
      notes: string;
    };
    expect(plan.model_id).toBe(model.id);
    expect(JSON.parse(plan.parameter_values)).toEqual({ epochs: 20, optimizer: 'sgd' });
    expect(plan.notes).toBe('Baseline: class means of 8x8 thumbnails.');
    const planSets = db.prepare('SELECT p.dataset_id, v.version FROM plan_datasets p JOIN dataset_versions v ON v.id = p.version_id WHERE p.plan_id = ?').all(plan.id);
    expect(planSets).toEqual([{ dataset_id: trainSet.id, version: 1 }]);

    // 2. A run under the plan, and a predictions file with one bad row (keyed by file name).
    await page.getByTestId('results-tab-runs').click();
    await recordRun(page, 'DemoNet v3', { model: model.id, plan: plan.id, testSet: testSet.id });
    const run = db.prepare("SELECT id, plan_id FROM runs WHERE name = 'DemoNet v3'").get() as { id: number; plan_id: number | null };
    expect(run.plan_id).toBe(plan.id);
    const file = path.join(dir, 'predictions-v3.csv');
    const rows = (bad: boolean, key: (r: (typeof testImages)[number]) => string) =>
      ['image_key,class,score', ...testImages.map((r, i) => `${key(r)},${r.truth},${bad && i === 5 ? 'high' : '0.9'}`)].join('\n') + '\n';
    fs.writeFileSync(file, rows(true, (r) => r.name));
    const wizard = page.getByTestId('import-wizard');
    await wizard.getByTestId('wizard-path').fill(file);
    await wizard.getByTestId('wizard-import').click();
    const refused = wizard.getByTestId('wizard-refused');
    await expect(refused).toBeVisible();
    await expect(refused.getByTestId('problem-row')).toHaveCount(1);
    // Header is line 1, so the sixth data row is line 7.
    await expect(refused.getByTestId('problem-row')).toContainText('7');
    await expect(refused.getByTestId('problem-row')).toContainText('score');
    const count = (sql: string, id: number) => (db.prepare(sql).get(id) as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM run_imports WHERE run_id = ?', run.id)).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM run_outcomes WHERE run_id = ?', run.id)).toBe(0);

    // Fixed (and keyed by SHA-256 this time): imported whole, the metrics shown.
    fs.writeFileSync(file, rows(false, (r) => r.sha));
    await wizard.getByTestId('wizard-import').click();
    await expect(wizard.getByTestId('wizard-done')).toContainText(`${testImages.length} of ${testImages.length} rows`);
    await wizard.getByTestId('wizard-show').click();
    await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', String(run.id));
    await expect(page.getByTestId('run-status')).toHaveText('Computed');
    await expect(page.getByTestId('result-cell-overall-accuracy')).toHaveText('1.000');
    const imports = db.prepare('SELECT rows_total, rows_accepted, refused FROM run_imports WHERE run_id = ?').all(run.id);
    expect(imports).toEqual([{ rows_total: testImages.length, rows_accepted: testImages.length, refused: '[]' }]);
    expect(count("SELECT COUNT(*) AS n FROM run_outcomes WHERE run_id = ? AND outcome = 'correct'", run.id)).toBe(testImages.length);
    // A run with results offers no runner.
    await expect(page.getByTestId('runner-box')).toHaveCount(0);

    // 3. The algorithm admin registers the example runner for DemoNet.
    await logout(page);
    await login(page, 'algoadmin');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-runners').click();
    const register = page.getByTestId('runner-register-form');
    await register.getByTestId('runner-model').selectOption(String(model.id));
    await register.getByTestId('runner-argv').fill(`${process.execPath}\n${SCRIPT}\n`);
    // Without {manifest} the command cannot learn its images: the form says so.
    await expect(register.getByTestId('runner-no-manifest')).toBeVisible();
    await register.getByTestId('runner-argv').fill(`${process.execPath}\n${SCRIPT}\n{manifest}\n`);
    await expect(register.getByTestId('runner-no-manifest')).toHaveCount(0);
    await expect(register.getByTestId('runner-placeholders')).toContainText('{output}');
    await register.getByTestId('runner-timeout').fill('120');
    await register.getByTestId('runner-register-submit').click();
    await expect(register.getByTestId('runner-register-done')).toBeVisible();
    await expect(page.getByTestId('runners-grid')).toContainText('nearest-mean.mjs');
    const runner = db.prepare('SELECT argv, timeout_s FROM model_runners WHERE model_id = ? AND disabled_at IS NULL').get(model.id) as { argv: string; timeout_s: number };
    expect(JSON.parse(runner.argv)).toEqual([process.execPath, SCRIPT, '{manifest}']);
    expect(runner.timeout_s).toBe(120);
    // The admin reads runs but does not record or run them.
    await expect(page.getByTestId('runner-start')).toHaveCount(0);

    // 4. The engineer runs it on a new run from the UI and sees its results appear.
    await logout(page);
    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await recordRun(page, 'Nearest mean run', { model: model.id, plan: plan.id, testSet: testSet.id });
    await page.getByTestId('import-wizard-close').click();
    const nm = db.prepare("SELECT id FROM runs WHERE name = 'Nearest mean run'").get() as { id: number };
    await page.getByTestId('runs-grid').locator(`.ag-row[row-id="${nm.id}"]`).click();
    await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', String(nm.id));
    await expect(page.getByTestId('run-status')).toHaveText('Awaiting results');
    const box = page.getByTestId('runner-box');
    await box.getByTestId('runner-start').click();
    await expect(box.getByTestId('runner-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    const log = box.getByTestId('runner-log');
    await expect(log).toContainText('nearest-mean.mjs');
    await expect(log).toContainText('trained 3 class means on 12 images');
    await expect(log).toContainText(`wrote ${testImages.length} predictions`);
    await expect(log).toContainText('exited with 0');
    await expect(box.getByTestId('runner-imported')).toContainText(`${testImages.length} of ${testImages.length} rows`);
    await expect(page.getByTestId('run-status')).toHaveText('Computed');
    const accuracy = JSON.parse((db.prepare('SELECT metrics FROM run_snapshots WHERE run_id = ? ORDER BY seq DESC LIMIT 1').get(nm.id) as { metrics: string }).metrics) as {
      metrics: { accuracy: number };
    };
    await expect(page.getByTestId('result-cell-overall-accuracy')).toHaveText(accuracy.metrics.accuracy.toFixed(3));
    expect(count('SELECT COUNT(*) AS n FROM run_outcomes WHERE run_id = ?', nm.id)).toBe(testImages.length);
    expect(db.prepare('SELECT source_name, rows_accepted FROM run_imports WHERE run_id = ?').all(nm.id)).toEqual([{ source_name: 'predictions.csv', rows_accepted: testImages.length }]);
    expect((db.prepare('SELECT plan_id FROM runs WHERE id = ?').get(nm.id) as { plan_id: number }).plan_id).toBe(plan.id);
    expect(host.blocked).toEqual([]);
  });
});
