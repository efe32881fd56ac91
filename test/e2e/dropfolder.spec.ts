/**
 * Issue 5 item 5 e2e: on the demo workspace an engineer configures a watched drop folder for a
 * run awaiting results, copies a predictions CSV into it (written as `.part`, then renamed),
 * sees it imported and the run's metrics appear; a bad file is refused, moved to refused/
 * with its report beside it, and its problems are shown in the panel.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/main/cli/run';
import { getRun, insertRun } from '../../src/main/evaluation/runs-repository';
import { expect, launchInTemp, test, type TempHost } from './fixtures';
import { login } from './session';

test.describe.configure({ timeout: 120_000 });

test.describe('watched drop folder', () => {
  let host: TempHost;
  let dir: string;
  let drop: string;

  test.beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-e2e-dropfolder-'));
    let err = '';
    const code = await runCli(['init', '--demo', '--workspace', dir, '--json'], { stdout: () => undefined, stderr: (t) => void (err += t) });
    if (code !== 0) throw new Error(`midc init --demo failed (${code}): ${err}`);
    drop = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-e2e-drop-'));
    host = await launchInTemp({ workspaceDir: dir });
  });
  test.afterEach(async () => {
    await host?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(drop, { recursive: true, force: true });
  });

  test('an engineer watches a folder, drops a predictions CSV and sees the run computed; a bad file is refused with its report', async () => {
    const { page } = host;
    const db = host.app.services.db;
    // A run awaiting results, with the inputs of the demo's first run.
    const v1 = db.prepare("SELECT id FROM runs WHERE name = 'DemoNet v1'").get() as { id: number };
    const template = getRun(db, v1.id);
    if (!template) throw new Error('no demo run');
    const runId = db.transaction(() =>
      insertRun(db, {
        name: 'DemoNet v3 (awaiting)',
        modelId: template.model_id,
        planId: template.plan_id,
        datasetId: template.dataset_id,
        versionId: template.version_id,
        task: template.task,
        iou: null,
        parameterValues: JSON.parse(template.parameter_values) as Record<string, string | number>,
        leakage: null,
        notes: '',
        standardIds: [],
        createdBy: null,
        createdAt: new Date().toISOString(),
      }),
    )();
    const truth = db
      .prepare(
        `SELECT im.original_name AS name, gi.class_name AS truth FROM gt_items gi JOIN images im ON im.id = gi.image_id
          WHERE gi.gt_set_id = (SELECT MAX(id) FROM gt_sets WHERE dataset_id = ?) ORDER BY im.id`,
      )
      .all(template.dataset_id) as { name: string; truth: string }[];
    expect(truth.length).toBe(24);
    // Right on all but the first image.
    const csv = ['image_key,class,score', ...truth.map((t, i) => `${t.name},${i === 0 ? (t.truth === 'normal' ? 'benign' : 'normal') : t.truth},0.8`)].join('\n');

    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-dropfolder').click();
    await expect(page.getByTestId('dropfolder-none')).toBeVisible();
    const form = page.getByTestId('dropfolder-form');
    await form.getByTestId('dropfolder-path-input').fill('relative/folder');
    await form.getByTestId('dropfolder-run').selectOption(String(runId));
    await form.getByTestId('dropfolder-submit').click();
    await expect(form.getByTestId('dropfolder-create-error')).toContainText('absolute path');
    await form.getByTestId('dropfolder-path-input').fill(drop);
    await form.getByTestId('dropfolder-submit').click();
    await expect(form.getByTestId('dropfolder-create-done')).toBeVisible();
    const card = page.getByTestId('dropfolder-card');
    await expect(card.getByTestId('dropfolder-path')).toHaveText(drop);
    await expect(card.getByTestId('dropfolder-state')).toHaveAttribute('data-state', 'watching');

    // A bad file: one unknown image.
    fs.writeFileSync(path.join(drop, 'bad.csv'), `${csv}\nghost.png,normal,0.5\n`);
    const refused = card.locator('[data-testid="dropfolder-file"][data-file="bad.csv"]');
    await expect(refused).toHaveAttribute('data-outcome', 'refused', { timeout: 20_000 });
    await refused.getByTestId('dropfolder-file-report').click();
    await expect(refused.getByTestId('problem-row')).toHaveCount(1);
    await expect(refused.getByTestId('problem-row')).toContainText('ghost.png');
    expect(fs.readdirSync(path.join(drop, 'refused')).sort()).toEqual(['bad.csv', 'bad.csv.report.txt']);
    expect(fs.readFileSync(path.join(drop, 'refused', 'bad.csv.report.txt'), 'utf8')).toMatch(/bad\.csv line 26 image_key: unknown image: "ghost.png"/);
    await expect(page.getByTestId('dropfolder-activity')).toContainText('bad.csv');

    // The good file, written under a .part name and renamed when complete.
    fs.writeFileSync(path.join(drop, 'v3.csv.part'), csv);
    fs.renameSync(path.join(drop, 'v3.csv.part'), path.join(drop, 'v3.csv'));
    const imported = card.locator('[data-testid="dropfolder-file"][data-file="v3.csv"]');
    await expect(imported).toHaveAttribute('data-outcome', 'imported', { timeout: 20_000 });
    await expect(imported).toContainText('24 of 24 rows');
    expect(fs.readdirSync(path.join(drop, 'processed'))).toEqual(['v3.csv']);

    await imported.getByTestId('dropfolder-open-run').click();
    await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', String(runId));
    await expect(page.getByTestId('run-status')).toHaveText('Computed');
    await expect(page.getByTestId('result-cell-overall-accuracy')).toHaveText((23 / 24).toFixed(3));
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'runs:importResults' AND actor_name = 'drop folder' AND object_id = ?").pluck().get(String(runId))).toBe(1);
    expect(host.blocked).toEqual([]);
  });
});
