/**
 * Issue 6 acceptance (as far as the backend allows): on the demo workspace (`midc init --demo`:
 * two runs of DemoNet on one application-test set), an engineer compares the two runs, clicks
 * the precision of a class in run A and sees exactly its TP and FP images (checked against the
 * backend's own drill-down), opens one with its ground truth and prediction, follows a dataset
 * tag of the tag flow, clicks a confusion heat-map cell, and exports the comparison as CSV.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { runCli } from '../../src/main/cli/run';
import { DEMO_PASSWORD } from '../../src/main/demo/demo';
import { drill } from '../../src/main/evaluation/drill';
import { importPaths } from '../../src/main/ingest/ingest-service';
import { ingestWorkerFile } from '../../src/main/ingest/worker-file';
import { getRun } from '../../src/main/evaluation/runs-repository';
import type { DrillCell } from '../../src/shared/contract';
import { expect, launchInTemp, test, type TempHost } from './fixtures';

// midc init --demo imports 36 images and hashes ten demo passwords (scrypt, ~0.3 s each).
test.describe.configure({ timeout: 180_000 });

async function demoWorkspace(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-e2e-results-'));
  let err = '';
  const code = await runCli(['init', '--demo', '--workspace', dir, '--json'], { stdout: () => undefined, stderr: (t) => void (err += t) });
  if (code !== 0) throw new Error(`midc init --demo failed (${code}): ${err}`);
  return dir;
}

async function login(page: Page, username: string): Promise<void> {
  await expect(page.getByTestId('login-form')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('shell')).toBeVisible({ timeout: 15_000 });
}

/** The image ids a drill dialog shows as tiles, ascending. */
async function tileIds(page: Page, testId = 'drill'): Promise<number[]> {
  const ids = await page.getByTestId(testId).locator('[data-image-id]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-image-id'))));
  return ids.sort((a, b) => a - b);
}

const sorted = (ids: readonly number[] | undefined) => [...new Set(ids ?? [])].sort((a, b) => a - b);

test.describe('results, comparison and drill-down', () => {
  let host: TempHost;
  let dir: string;

  test.beforeEach(async () => {
    dir = await demoWorkspace();
    host = await launchInTemp({ workspaceDir: dir });
  });
  test.afterEach(async () => {
    await host?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an engineer compares the demo runs and drills from a precision cell down to its images', async () => {
    const { page } = host;
    const db = host.app.services.db;
    const runs = db.prepare('SELECT id, name FROM runs ORDER BY id').all() as { id: number; name: string }[];
    const runA = runs.find((r) => r.name === 'DemoNet v1');
    const runB = runs.find((r) => r.name === 'DemoNet v2');
    if (!runA || !runB) throw new Error('the demo runs are missing');

    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await expect(page.getByTestId('module-results')).toBeVisible();
    await expect(page.getByTestId('runs-grid').locator('.ag-row')).toHaveCount(2);

    // The comparison of the two runs, run A as the baseline.
    await page.getByTestId('results-tab-compare').click();
    await page.getByTestId(`compare-run-${runA.id}`).check();
    await page.getByTestId(`compare-run-${runB.id}`).check();
    await page.getByTestId('compare-baseline').selectOption(String(runA.id));
    await page.getByTestId('compare-go').click();
    await expect(page.getByTestId('compare-grid')).toContainText('DemoNet v2');
    // The runs differ in their parameters: flagged, not compared silently.
    await expect(page.getByTestId(`compare-flags-${runB.id}`)).toContainText('epochs');
    await expect(page.getByTestId('metric-over-runs').locator('rect')).toHaveCount(2);
    // Issue 7: the quantified score sits beside the plain metrics, per run, as each run's
    // snapshot stored it, so two runs with the same accuracy but different harm are told apart.
    const quantRow = page.getByTestId('compare-grid').locator('.ag-row').filter({ hasText: 'Clinical harm' }).first();
    for (const run of [runA, runB]) {
      const snapshot = JSON.parse((db.prepare('SELECT metrics FROM run_snapshots WHERE run_id = ? ORDER BY seq DESC LIMIT 1').get(run.id) as { metrics: string }).metrics) as {
        metrics: { quant: { name: string; score: number }[] };
      };
      const harm = snapshot.metrics.quant.find((q) => q.name === 'Clinical harm');
      expect(harm).toBeDefined();
      await expect(quantRow).toContainText((harm?.score ?? NaN).toFixed(3));
    }

    // Precision of "benign" in run A: exactly its TP and FP images, as the backend counts them.
    const cell: DrillCell = { metric: 'precision', className: 'benign' };
    const runRow = getRun(db, runA.id);
    if (!runRow) throw new Error('run A vanished');
    const expected = drill(db, runRow, cell);
    expect(expected.numerator).toEqual(['tp']);
    expect(expected.denominator).toEqual(['tp', 'fp']);
    expect((expected.sets.fp ?? []).length).toBeGreaterThan(0);

    await page.getByTestId(`compare-cell-${runA.id}-precision-benign`).click();
    const dialog = page.getByTestId('drill');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('drill-set-tp')).toHaveAttribute('data-count', String(sorted(expected.sets.tp).length));
    await expect(dialog.getByTestId('drill-set-fp')).toHaveAttribute('data-count', String(sorted(expected.sets.fp).length));
    await expect(dialog.getByTestId('drill-count')).toHaveAttribute('data-total', String(expected.imageIds.length));
    expect(await tileIds(page)).toEqual(sorted(expected.imageIds));

    // Only the false positives.
    await dialog.getByTestId('drill-set-fp').click();
    await expect(dialog.getByTestId('drill-count')).toHaveAttribute('data-total', String(sorted(expected.sets.fp).length));
    expect(await tileIds(page)).toEqual(sorted(expected.sets.fp));

    // The table view lists the same images.
    await dialog.getByTestId('drill-view-table').click();
    await expect(dialog.getByTestId('drill-grid').locator('.ag-row')).toHaveCount(sorted(expected.sets.fp).length);
    await dialog.getByTestId('drill-view-thumbs').click();

    // Open one false positive: large, with its ground truth and run A's prediction.
    const fpId = sorted(expected.sets.fp)[0] as number;
    const truth = db.prepare('SELECT true_class AS t, predicted_class AS p FROM run_outcomes WHERE run_id = ? AND image_id = ?').get(runA.id, fpId) as { t: string; p: string };
    expect(truth.p).toBe('benign');
    expect(truth.t).not.toBe('benign');
    await dialog.getByTestId(`drill-image-${fpId}`).click();
    const image = page.getByTestId('image-dialog');
    await expect(image).toBeVisible();
    await expect(image.getByTestId('image-large')).toBeVisible();
    await expect(image.getByTestId('overlay-truth')).toContainText(truth.t);
    await expect(image.getByTestId('overlay-prediction')).toContainText('benign');
    await expect(image.getByTestId('overlay-prediction')).toContainText('DemoNet v1');
    // Switch to run B's prediction of the same image.
    const inB = db.prepare('SELECT predicted_class AS p FROM run_outcomes WHERE run_id = ? AND image_id = ?').get(runB.id, fpId) as { p: string | null } | undefined;
    await image.getByTestId('image-run').selectOption(String(runB.id));
    await expect(image.getByTestId('overlay-prediction')).toContainText(inB?.p ?? 'missed');
    await expect(image.locator('[data-link-kind="tag"][data-tag-key="institution"]')).toContainText('Demo Hospital');

    // Tag flow: follow the dataset tag to the other images of that dataset.
    const testSet = db.prepare("SELECT id FROM datasets WHERE name = 'Demo application test'").get() as { id: number };
    const testIds = db
      .prepare('SELECT i.image_id AS id FROM dataset_images i JOIN dataset_versions v ON v.id = i.version_id WHERE v.dataset_id = ? ORDER BY i.image_id')
      .all(testSet.id) as { id: number }[];
    await image.locator(`[data-link-kind="dataset"][data-dataset-id="${testSet.id}"]`).click();
    const tagset = page.getByTestId('tagset');
    await expect(tagset).toBeVisible();
    await expect(tagset.getByTestId('drill-count')).toHaveAttribute('data-total', String(testIds.length));
    expect(await tileIds(page, 'tagset')).toEqual(testIds.map((r) => r.id));
    await page.keyboard.press('Escape');
    await expect(tagset).toHaveCount(0);

    // The comparison grid as CSV: built in the page, offered as a blob: link.
    const href = await page.getByTestId('compare-csv').getAttribute('href');
    expect(href).toMatch(/^blob:/);
    const { csv, head } = await page.evaluate(async (url) => {
      const bytes = new Uint8Array(await (await fetch(url as string)).arrayBuffer());
      // TextDecoder drops the byte-order mark, so its bytes are checked separately.
      return { csv: new TextDecoder().decode(bytes), head: [...bytes.slice(0, 3)] };
    }, href);
    expect(head).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.split('\r\n')[0]).toBe('metric,class,DemoNet v1,DemoNet v2,Δ DemoNet v2');
    expect(csv).toContain('precision,benign,');

    // The per-image detail of accuracy: fixed / broken counts as the backend says.
    await page.getByTestId('detail-go').click();
    await expect(page.getByTestId('detail-table')).toBeVisible();
    const broken = await page.getByTestId('detail-filter-broken').getAttribute('data-count');
    const fixed = await page.getByTestId('detail-filter-fixed').getAttribute('data-count');
    expect(Number(fixed)).toBeGreaterThan(0);
    expect(Number(broken)).toBeGreaterThanOrEqual(0);
    await page.getByTestId('detail-filter-fixed').click();
    await expect(page.getByTestId('detail-grid').locator('.ag-row')).toHaveCount(Number(fixed));

    // Charts, grids, thumbnails and blobs all ran under the CSP: nothing was blocked or reported.
    expect(host.blocked).toEqual([]);
    const reported = db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('system:reportBlocked', 'security:blocked')").get() as { n: number };
    expect(reported.n).toBe(0);
  });

  test('the run results grid and the confusion heat map open the images behind each count', async () => {
    const { page } = host;
    const db = host.app.services.db;
    const runA = db.prepare("SELECT id FROM runs WHERE name = 'DemoNet v1'").get() as { id: number };
    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('runs-grid').locator(`.ag-row[row-id="${runA.id}"]`).click();
    await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', String(runA.id));
    await expect(page.getByTestId('run-standards')).toBeVisible();
    await expect(page.getByTestId('run-quant')).toContainText('Clinical harm');

    // A confusion cell: true malignant predicted benign (or whichever off-diagonal cell has images).
    const off = db
      .prepare("SELECT true_class AS t, predicted_class AS p, COUNT(*) AS n FROM run_outcomes WHERE run_id = ? AND outcome = 'wrong' GROUP BY 1, 2 ORDER BY n DESC LIMIT 1")
      .get(runA.id) as { t: string; p: string; n: number };
    const heat = page.getByTestId(`heat-cell-${off.t}-${off.p}`);
    await expect(heat).toHaveAttribute('data-count', String(off.n));
    await heat.click();
    await expect(page.getByTestId('drill').getByTestId('drill-count')).toHaveAttribute('data-total', String(off.n));
    await page.getByTestId('drill-close').click();

    // The accuracy cell: correct / wrong / missed sets.
    await page.getByTestId('result-cell-overall-accuracy').click();
    const wrong = (db.prepare("SELECT COUNT(*) AS n FROM run_outcomes WHERE run_id = ? AND outcome = 'wrong'").get(runA.id) as { n: number }).n;
    await expect(page.getByTestId('drill').getByTestId('drill-set-wrong')).toHaveAttribute('data-count', String(wrong));
  });

  test('an engineer records a run, sees a refused predictions file with its problem report, and imports the valid rows', async () => {
    const { page } = host;
    const db = host.app.services.db;
    const model = db.prepare("SELECT id FROM models WHERE name = 'DemoNet'").get() as { id: number };
    const testSet = db.prepare("SELECT id FROM datasets WHERE name = 'Demo application test'").get() as { id: number };
    const images = db
      .prepare('SELECT im.original_name AS name, o.true_class AS truth FROM run_outcomes o JOIN images im ON im.id = o.image_id WHERE o.run_id = (SELECT MIN(id) FROM runs) ORDER BY im.id')
      .all() as { name: string; truth: string }[];
    // Every image predicted as its true class, except one row whose score is not a number.
    const lines = ['image_key,class,score', ...images.map((r, i) => `${r.name},${r.truth},${i === 3 ? 'abc' : '0.9'}`)];
    const file = path.join(dir, 'predictions-v3.csv');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);

    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('runs-new').click();
    const wizard = page.getByTestId('import-wizard');
    await wizard.getByTestId('wizard-name').fill('DemoNet v3');
    await wizard.getByTestId('wizard-model').selectOption(String(model.id));
    await wizard.getByTestId('wizard-dataset').selectOption(String(testSet.id));
    await wizard.getByTestId('wizard-param-epochs').fill('80');
    await wizard.getByTestId('wizard-param-optimizer').selectOption('adam');
    await wizard.getByTestId('wizard-run-next').click();
    // The leakage check runs first; if it finds overlaps the run is recorded only after confirming them.
    const leakage = page.getByTestId('leakage-dialog');
    const fileForm = wizard.getByTestId('wizard-file-form');
    await expect(leakage.or(fileForm)).toBeVisible();
    if (await leakage.isVisible()) {
      await expect(leakage.getByTestId('leakage-confirm')).toBeDisabled();
      await leakage.getByTestId('leakage-seen').check();
      await leakage.getByTestId('leakage-confirm').click();
    }
    await expect(fileForm).toBeVisible();
    const run = db.prepare("SELECT id FROM runs WHERE name = 'DemoNet v3'").get() as { id: number };

    await wizard.getByTestId('wizard-path').fill(file);
    await wizard.getByTestId('wizard-import').click();
    const refused = wizard.getByTestId('wizard-refused');
    await expect(refused).toBeVisible();
    await expect(refused.getByTestId('problem-row')).toHaveCount(1);
    await expect(refused.getByTestId('problem-row')).toContainText('score');
    expect((db.prepare('SELECT COUNT(*) AS n FROM run_outcomes WHERE run_id = ?').get(run.id) as { n: number }).n).toBe(0);

    await refused.getByTestId('wizard-accept-partial').click();
    await expect(wizard.getByTestId('wizard-done')).toContainText(`${images.length - 1} of ${images.length} rows`);
    await wizard.getByTestId('wizard-show').click();
    await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', String(run.id));
    await expect(page.getByTestId('run-status')).toHaveText('Computed');
    await expect(page.getByTestId('result-cell-overall-accuracy')).toBeVisible();
  });

  test('every linked number of a run results grid opens exactly the images its figure counts', async () => {
    const { page } = host;
    const db = host.app.services.db;
    const runA = db.prepare("SELECT id FROM runs WHERE name = 'DemoNet v1'").get() as { id: number };
    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('runs-grid').locator(`.ag-row[row-id="${runA.id}"]`).click();
    const grid = page.getByTestId('run-results-grid');
    await expect(grid.locator('[data-testid^="result-cell-"]').first()).toBeVisible();
    const links = await grid.locator('[data-testid^="result-cell-"]').evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-testid') as string, text: (e.textContent ?? '').trim() })));
    const dialog = page.getByTestId('drill');
    const count = async (set: string) => {
      const chip = dialog.getByTestId(`drill-set-${set}`);
      return (await chip.count()) ? Number(await chip.getAttribute('data-count')) : 0;
    };
    let checked = 0;
    // The grid renders only the columns in view: scroll it sideways until the cell exists.
    const reveal = async (testId: string) => {
      for (const left of [0, 100_000]) {
        if (await grid.getByTestId(testId).count()) return;
        await grid.locator('*').evaluateAll((els, x) => els.forEach((e) => e.scrollWidth > e.clientWidth && (e.scrollLeft = x)), left);
        await page.waitForTimeout(100);
      }
    };
    for (const link of links) {
      await reveal(link.id);
      const column = link.id.slice(link.id.lastIndexOf('-') + 1);
      const row = link.id.slice('result-cell-'.length, link.id.lastIndexOf('-'));
      await grid.getByTestId(link.id).click();
      await expect(dialog.getByTestId('drill-count')).toBeVisible();
      const [tp, fp, fn, tn, correct, wrong, missed] = await Promise.all(['tp', 'fp', 'fn', 'tn', 'correct', 'wrong', 'missed'].map(count));
      const ratio = (a: number, b: number) => (b ? (a / b).toFixed(3) : '—');
      const expected: Record<string, string> = {
        tp: String(tp),
        fp: String(fp),
        fn: String(fn),
        tn: String(tn),
        support: String((tp ?? 0) + (fn ?? 0)),
        precision: ratio(tp ?? 0, (tp ?? 0) + (fp ?? 0)),
        recall: ratio(tp ?? 0, (tp ?? 0) + (fn ?? 0)),
        specificity: ratio(tn ?? 0, (tn ?? 0) + (fp ?? 0)),
        f1: ratio(2 * (tp ?? 0), 2 * (tp ?? 0) + (fp ?? 0) + (fn ?? 0)),
        accuracy: ratio(correct ?? 0, (correct ?? 0) + (wrong ?? 0) + (missed ?? 0)),
      };
      // Macro averages are means over the classes: only that they open images is checked.
      if (row !== 'macro' && expected[column] !== undefined) {
        expect(link.text, `${row} ${column}`).toBe(expected[column]);
        checked += 1;
      }
      await dialog.getByTestId('drill-close').click();
      await expect(dialog).toHaveCount(0);
    }
    expect(checked).toBeGreaterThanOrEqual(30);
  });

  test('a DICOM image reached through the tag flow opens in the Cornerstone viewer', async () => {
    const { page } = host;
    const db = host.app.services.db;
    // A DICOM study from the same hospital as the demo images: the institution tag links them.
    const fixture = path.resolve(__dirname, '../fixtures/dicom/CT_small.dcm');
    await importPaths(host.app.services, [fixture], { actor: { id: null, name: 'e2e' }, workerFile: ingestWorkerFile(), tags: { institution: 'Demo Hospital' } });
    const ct = db.prepare("SELECT id FROM images WHERE original_name = 'CT_small.dcm'").get() as { id: number };
    const runA = db.prepare("SELECT id FROM runs WHERE name = 'DemoNet v1'").get() as { id: number };

    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('runs-grid').locator(`.ag-row[row-id="${runA.id}"]`).click();
    await page.getByTestId('result-cell-overall-accuracy').click();
    await page.getByTestId('drill').locator('[data-image-id]').first().click();
    await page.getByTestId('image-dialog').locator('[data-link-kind="tag"][data-tag-key="institution"]').click();
    const tagset = page.getByTestId('tagset');
    await expect(tagset.getByTestId(`drill-image-${ct.id}`)).toBeVisible();
    await tagset.getByTestId(`drill-image-${ct.id}`).click();
    const image = page.getByTestId('image-dialog');
    await expect(image.getByTestId('image-dicom')).toBeVisible();
    await expect(image.getByTestId('viewport-element')).toHaveAttribute('data-status', 'shown', { timeout: 20_000 });
    // Not part of the runs in view: no ground truth or prediction is made up for it.
    await expect(image.getByTestId('image-overlay')).toHaveCount(0);
  });
});
