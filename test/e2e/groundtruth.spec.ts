/**
 * Issue 5 e2e: the ground-truth import step of the results feature. On the demo workspace an
 * engineer picks the demo test set, sees its current ground truth, imports a file with a bad
 * row (sees the problem report, nothing stored), fixes it, imports, and sees the new set.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/main/cli/run';
import { expect, launchInTemp, test, type TempHost } from './fixtures';
import { login } from './session';

test.describe.configure({ timeout: 120_000 });

test.describe('ground-truth import', () => {
  let host: TempHost;
  let dir: string;
  let files: string;

  test.beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-e2e-gt-'));
    let err = '';
    const code = await runCli(['init', '--demo', '--workspace', dir, '--json'], { stdout: () => undefined, stderr: (t) => void (err += t) });
    if (code !== 0) throw new Error(`midc init --demo failed (${code}): ${err}`);
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-e2e-gt-files-'));
    host = await launchInTemp({ workspaceDir: dir });
  });
  test.afterEach(async () => {
    await host?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(files, { recursive: true, force: true });
  });

  test('an engineer imports a dataset ground truth: a bad row is refused with its report, the fixed file is imported', async () => {
    const { page } = host;
    const db = host.app.services.db;
    const testSet = db.prepare("SELECT id FROM datasets WHERE name = 'Demo application test'").get() as { id: number };
    const images = db
      .prepare('SELECT im.original_name AS name FROM dataset_images di JOIN dataset_versions v ON v.id = di.version_id JOIN images im ON im.id = di.image_id WHERE v.dataset_id = ? ORDER BY im.id')
      .all(testSet.id) as { name: string }[];
    expect(images.length).toBe(24);
    // Every image relabelled into two classes, so the new set is visibly another one.
    const rows = images.map((im, i) => `${im.name},${i % 2 === 0 ? 'lesion' : 'clear'}`);
    const bad = path.join(files, 'labels-bad.csv');
    fs.writeFileSync(bad, ['image_key,class', ...rows, 'nobody.png,lesion'].join('\n'));
    const good = path.join(files, 'labels.csv');
    fs.writeFileSync(good, ['image_key,class', ...rows].join('\n'));

    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-groundtruth').click();
    await page.getByTestId('gt-dataset').selectOption(String(testSet.id));
    await expect(page.getByTestId('gt-summary')).toContainText('demo-ground-truth.csv');
    await expect(page.getByTestId('gt-summary')).toContainText('24 images');

    const form = page.getByTestId('gt-form');
    await form.getByTestId('gt-path').fill(bad);
    await form.getByTestId('gt-import').click();
    const refused = form.getByTestId('gt-refused');
    await expect(refused).toBeVisible();
    await expect(refused.getByTestId('problem-row')).toHaveCount(1);
    await expect(refused.getByTestId('problem-row')).toContainText('26');
    await expect(refused.getByTestId('problem-row')).toContainText('nobody.png');
    await expect(page.getByTestId('gt-summary')).toContainText('demo-ground-truth.csv');

    await form.getByTestId('gt-path').fill(good);
    await form.getByTestId('gt-import').click();
    await expect(form.getByTestId('gt-imported')).toContainText('24 of 24 rows');
    await expect(form.getByTestId('gt-refused')).toHaveCount(0);
    await expect(page.getByTestId('gt-summary')).toContainText('labels.csv');
    await expect(page.getByTestId('gt-summary')).toContainText('clear, lesion');
    const stored = db.prepare('SELECT source_name FROM gt_sets WHERE dataset_id = ? ORDER BY id DESC LIMIT 1').get(testSet.id) as { source_name: string };
    expect(stored.source_name).toBe('labels.csv');
    expect(host.blocked).toEqual([]);
  });
});
