/**
 * Issue 6 acceptance (as far as the backend allows): on the demo workspace (`midc init --demo`:
 * two runs of DemoNet on one application-test set), an engineer compares the two runs, clicks
 * the precision of a class in run A and sees exactly its TP and FP images (checked against the
 * backend's own drill-down), opens one with its ground truth and prediction, follows a dataset
 * tag of the tag flow, clicks a confusion heat-map cell, and exports the comparison as CSV.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../../src/main/demo/demo';
import { drill } from '../../src/main/evaluation/drill';
import { importPaths } from '../../src/main/ingest/ingest-service';
import { ingestWorkerFile } from '../../src/main/ingest/worker-file';
import { getRun } from '../../src/main/evaluation/runs-repository';
import type { Sender } from '../../src/main/ipc/sender';
import type { DrillCell, RunView } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';
import { expect, launchInTemp, test, type TempHost } from './fixtures';
import { demoWorkspace, login } from './session';

// midc init --demo imports 36 images and hashes ten demo passwords (scrypt, ~0.3 s each).
test.describe.configure({ timeout: 180_000 });

/** The image ids a drill dialog shows as tiles, ascending. */
async function tileIds(page: Page, testId = 'drill'): Promise<number[]> {
  const ids = await page.getByTestId(testId).locator('[data-image-id]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-image-id'))));
  return ids.sort((a, b) => a - b);
}

const sorted = (ids: readonly number[] | undefined) => [...new Set(ids ?? [])].sort((a, b) => a - b);

/** A demo user logged in on the backend (for seeding through the real handlers). */
async function backend(host: TempHost, username: string): Promise<<T>(channel: string, payload: unknown) => Promise<T>> {
  const who: Sender = { id: `e2e-backend-${username}`, origin: host.app.services.appOrigin, isMainFrame: true };
  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const r = (await host.app.dispatch(who, channel, payload)) as Result<T>;
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  await call('auth:login', { username, password: DEMO_PASSWORD });
  return call;
}

interface SeededBoxes {
  runA: number;
  runB: number;
  imageId: number;
  truth: { x: number; y: number; w: number; h: number };
}

/**
 * The demo has classification runs only: a detection model, ground-truth boxes on the demo test
 * set and two runs are recorded through the real handlers. On the first image, run A finds the
 * lesion (TP) plus a stray box (FP); run B's box is shifted off it (FP, and the lesion an FN).
 */
async function seedDetectionRuns(host: TempHost): Promise<SeededBoxes> {
  const db = host.app.services.db;
  const admin = await backend(host, 'algoadmin');
  const engineer = await backend(host, 'engineer');
  const testSet = db.prepare("SELECT id FROM datasets WHERE name = 'Demo application test'").get() as { id: number };
  const images = db
    .prepare('SELECT im.id, im.original_name AS name FROM dataset_images i JOIN dataset_versions v ON v.id = i.version_id JOIN images im ON im.id = i.image_id WHERE v.dataset_id = ? ORDER BY im.id')
    .all(testSet.id) as { id: number; name: string }[];
  const model = await admin<{ id: number }>('models:create', { name: 'LesionDet', task: 'detection' });
  const truth = { x: 10, y: 12, w: 20, h: 16 };
  const [first, ...rest] = images as [{ id: number; name: string }, ...{ id: number; name: string }[]];
  const gtRows = [`${first.name},lesion,${truth.x},${truth.y},${truth.w},${truth.h}`, ...rest.map((im, i) => `${im.name},lesion,${4 + (i % 5)},8,14,14`)];
  await engineer('groundTruth:import', { datasetId: testSet.id, task: 'detection', source: { name: 'boxes.csv', text: ['image_key,class,x,y,w,h', ...gtRows].join('\n') } });
  const record = async (name: string, rows: string[]) => {
    const run = await engineer<RunView>('runs:create', { name, modelId: model.id, datasetId: testSet.id, iou: 0.5, parameterValues: {} });
    const r = await engineer<{ imported: boolean }>('runs:importResults', { runId: run.id, source: { name: `${name}.csv`, text: ['image_key,class,score,x,y,w,h', ...rows].join('\n') } });
    if (!r.imported) throw new Error(`${name} was not imported`);
    return run.id;
  };
  const others = rest.map((im, i) => `${im.name},lesion,0.${5 + (i % 4)},${4 + (i % 5)},8,14,14`);
  const runA = await record('LesionDet A', [`${first.name},lesion,0.9,${truth.x},${truth.y},${truth.w},${truth.h}`, `${first.name},lesion,0.4,40,40,12,10`, ...others]);
  const runB = await record('LesionDet B', [`${first.name},lesion,0.8,${truth.x + 22},${truth.y},${truth.w},${truth.h}`, ...others]);
  return { runA, runB, imageId: first.id, truth };
}

/** The boxes an overlay draws, in image pixel coordinates, as its data attributes say. */
async function drawnBoxes(page: Page, testId: string) {
  return page
    .getByTestId(testId)
    .locator('[data-testid="overlay-box"]')
    .evaluateAll((els) =>
      els
        .map((e) => ({
          kind: e.getAttribute('data-kind'),
          outcome: e.getAttribute('data-outcome'),
          x: Number(e.getAttribute('data-x')),
          y: Number(e.getAttribute('data-y')),
          w: Number(e.getAttribute('data-w')),
          h: Number(e.getAttribute('data-h')),
        }))
        .sort((a, b) => `${a.kind}${a.outcome}${a.x}`.localeCompare(`${b.kind}${b.outcome}${b.x}`)),
    );
}

test.describe('results, comparison and drill-down', () => {
  let host: TempHost;
  let dir: string;

  test.beforeEach(async () => {
    dir = await demoWorkspace('results');
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

    // The detail as CSV, built when asked: every row the filter keeps (all of them, not only those on screen).
    const detailCsv = async () => {
      await page.getByTestId('detail-csv').click();
      const url = await page.getByTestId('detail-csv-file').getAttribute('href');
      expect(url).toMatch(/^blob:/);
      const text = await page.evaluate(async (u) => new TextDecoder().decode(await (await fetch(u as string)).arrayBuffer()), url);
      return text.split('\r\n').filter((l) => l !== '');
    };
    const fixedLines = await detailCsv();
    expect(fixedLines[0]).toBe('image,truth,DemoNet v1 outcome,DemoNet v1 predicted,DemoNet v2 outcome,DemoNet v2 predicted,status');
    expect(fixedLines).toHaveLength(Number(fixed) + 1);
    for (const line of fixedLines.slice(1)) expect(line).toMatch(/^\d+,[^,]+,(wrong|missed),[^,]*,correct,[^,]+,fixed$/);
    const total = Number(((await page.getByTestId('detail-filter-all').textContent()) ?? '').replace(/\D+/g, ' ').trim().split(' ').pop());
    await page.getByTestId('detail-filter-all').click();
    const allLines = await detailCsv();
    expect(allLines).toHaveLength(total + 1);
    expect(allLines.filter((l) => l.endsWith(',broken'))).toHaveLength(Number(broken));

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
  test('the ROC and PR curves of a demo run drill from a point to the TP and FP images at its threshold', async () => {
    const { page } = host;
    const db = host.app.services.db;
    const runA = db.prepare("SELECT id FROM runs WHERE name = 'DemoNet v1'").get() as { id: number };
    const snapshot = JSON.parse((db.prepare('SELECT metrics FROM run_snapshots WHERE run_id = ? ORDER BY seq DESC LIMIT 1').get(runA.id) as { metrics: string }).metrics) as {
      metrics: { perClass: Record<string, { auc: number }> };
    };
    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('runs-grid').locator(`.ag-row[row-id="${runA.id}"]`).click();
    const curves = page.getByTestId('class-curves');
    await expect(curves).toBeVisible();
    // One curve per class; its area is the AUC of the results grid.
    for (const [c, m] of Object.entries(snapshot.metrics.perClass)) {
      await expect(curves.getByTestId(`curve-legend-${c}`)).toHaveAttribute('data-auc', String(m.auc));
    }

    // The images the backend stores, above a threshold of class "benign".
    const expectedAt = (threshold: number | null) => {
      const rows = db.prepare('SELECT image_id AS id, true_class AS t, predicted_class AS p, score FROM run_outcomes WHERE run_id = ?').all(runA.id) as { id: number; t: string; p: string | null; score: number | null }[];
      const above = rows.filter((r) => threshold === null || (r.p === 'benign' && (r.score ?? -Infinity) >= threshold));
      return { tp: sorted(above.filter((r) => r.t === 'benign').map((r) => r.id)), fp: sorted(above.filter((r) => r.t !== 'benign').map((r) => r.id)) };
    };
    const points = curves.locator('[data-testid^="roc-point-benign-"][data-cut="score"]');
    expect(await points.count()).toBeGreaterThan(2);
    // A point in the middle of the curve, clicked.
    const middle = points.nth(Math.floor((await points.count()) / 2));
    const threshold = Number(await middle.getAttribute('data-threshold'));
    const expected = expectedAt(threshold);
    expect(expected.tp.length + expected.fp.length).toBeGreaterThan(0);
    await expect(middle).toHaveAttribute('data-tp', String(expected.tp.length));
    await expect(middle).toHaveAttribute('data-fp', String(expected.fp.length));
    // Points can sit on top of each other: the click goes to this very circle.
    await middle.dispatchEvent('click');
    const dialog = page.getByTestId('drill');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('drill-set-tp')).toHaveAttribute('data-count', String(expected.tp.length));
    await expect(dialog.getByTestId('drill-set-fp')).toHaveAttribute('data-count', String(expected.fp.length));
    expect(await tileIds(page)).toEqual(sorted([...expected.tp, ...expected.fp]));
    await dialog.getByTestId('drill-set-fp').click();
    expect(await tileIds(page)).toEqual(expected.fp);
    await page.getByTestId('drill-close').click();

    // With the keyboard: the last point of the first class counts every image as that class.
    const svg = curves.locator('svg[tabindex="0"]');
    await svg.focus();
    const first = await curves.locator('[data-testid^="curve-legend-"]').first().getAttribute('data-testid');
    const firstClass = (first ?? '').slice('curve-legend-'.length);
    await page.keyboard.press('End');
    await expect(page.getByTestId('curve-focus')).toContainText('every image');
    await page.keyboard.press('Enter');
    const all = db.prepare('SELECT image_id AS id, true_class AS t FROM run_outcomes WHERE run_id = ?').all(runA.id) as { id: number; t: string }[];
    await expect(dialog.getByTestId('drill-set-tp')).toHaveAttribute('data-count', String(all.filter((r) => r.t === firstClass).length));
    await expect(dialog.getByTestId('drill-set-fp')).toHaveAttribute('data-count', String(all.filter((r) => r.t !== firstClass).length));
    expect(host.blocked).toEqual([]);
  });

  test('a detection image shows the ground-truth and predicted boxes of the run chosen, at their image coordinates', async () => {
    const { page } = host;
    const seeded = await seedDetectionRuns(host);
    const { truth } = seeded;
    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    // A point of run A's precision–recall curve opens the boxes scored at or above it.
    const db = host.app.services.db;
    await page.getByTestId('runs-grid').locator(`.ag-row[row-id="${seeded.runA}"]`).click();
    const prPoints = page.getByTestId('pr-curves').locator('[data-testid^="box-pr-point-lesion-"]');
    expect(await prPoints.count()).toBeGreaterThan(2);
    const prPoint = prPoints.nth(Math.floor((await prPoints.count()) / 2));
    const score = Number(await prPoint.getAttribute('data-score'));
    const boxesAbove = (outcome: string) =>
      sorted((db.prepare("SELECT image_id AS id FROM run_box_outcomes WHERE run_id = ? AND class_name = 'lesion' AND outcome = ? AND score >= ?").all(seeded.runA, outcome, score) as { id: number }[]).map((r) => r.id));
    await prPoint.dispatchEvent('click');
    await expect(page.getByTestId('drill').getByTestId('drill-set-tp')).toHaveAttribute('data-count', String(boxesAbove('tp').length));
    await expect(page.getByTestId('drill').getByTestId('drill-set-fp')).toHaveAttribute('data-count', String(boxesAbove('fp').length));
    expect(await tileIds(page)).toEqual(sorted([...boxesAbove('tp'), ...boxesAbove('fp')]));
    await page.getByTestId('drill-close').click();

    // Compare the two detection runs and drill from run A's precision of "lesion".
    await page.getByTestId('results-tab-compare').click();
    await page.getByTestId(`compare-run-${seeded.runA}`).check();
    await page.getByTestId(`compare-run-${seeded.runB}`).check();
    await page.getByTestId('compare-baseline').selectOption(String(seeded.runA));
    await page.getByTestId('compare-go').click();
    // The metric over the runs (mAP first): each bar opens the images behind that run's figure.
    const bar = page.getByTestId('metric-over-runs').getByTestId(`over-runs-bar-${seeded.runB}`);
    await bar.focus();
    await page.keyboard.press('Enter');
    const runRowB = getRun(host.app.services.db, seeded.runB);
    if (!runRowB) throw new Error('run B vanished');
    const mapImages = drill(host.app.services.db, runRowB, { metric: 'mAP', average: 'macro' });
    await expect(page.getByTestId('drill').getByTestId('drill-count')).toHaveAttribute('data-total', String(mapImages.imageIds.length));
    expect(await tileIds(page)).toEqual(mapImages.imageIds);
    await page.getByTestId('drill-close').click();

    await page.getByTestId(`compare-cell-${seeded.runA}-precision-lesion`).click();
    const dialog = page.getByTestId('drill');
    await expect(dialog.getByTestId(`drill-image-${seeded.imageId}`)).toBeVisible();
    await dialog.getByTestId(`drill-image-${seeded.imageId}`).click();
    const image = page.getByTestId('image-dialog');
    await expect(image.getByTestId('image-large')).toBeVisible();
    await image.getByTestId('image-run').selectOption(String(seeded.runA));

    // Run A: the lesion found (TP, truth and prediction on the same box) and a stray FP box.
    await expect(image.getByTestId('image-boxes')).toHaveAttribute('data-count', '3');
    expect(await drawnBoxes(page, 'image-boxes')).toEqual([
      { kind: 'prediction', outcome: 'fp', x: 40, y: 40, w: 12, h: 10 },
      { kind: 'prediction', outcome: 'tp', ...truth },
      { kind: 'truth', outcome: 'tp', ...truth },
    ]);
    // Drawn where the image's pixels are: the box's screen rectangle is the image's scaled by the same factor.
    const img = image.getByTestId('image-large');
    const [naturalWidth, naturalHeight] = await img.evaluate((e) => {
      const el = e as unknown as { naturalWidth: number; naturalHeight: number };
      return [el.naturalWidth, el.naturalHeight];
    });
    const a = await img.boundingBox();
    const b = await image.locator('[data-testid="image-boxes"] [data-kind="truth"] polygon').boundingBox();
    if (!a || !b || !naturalWidth || !naturalHeight) throw new Error('the image or its box is not laid out');
    const k = Math.min(a.width / naturalWidth, a.height / naturalHeight);
    const ox = a.x + (a.width - naturalWidth * k) / 2;
    const oy = a.y + (a.height - naturalHeight * k) / 2;
    // The overlay covers the image exactly, in the image's own pixels (object-fit: contain = meet).
    expect(await image.getByTestId('image-boxes').boundingBox()).toEqual(a);
    await expect(image.getByTestId('image-boxes')).toHaveAttribute('viewBox', `0 0 ${naturalWidth} ${naturalHeight}`);
    const polygon = image.locator('[data-testid="image-boxes"] [data-kind="truth"] polygon');
    await expect(polygon).toHaveAttribute('points', `${truth.x}.00,${truth.y}.00 ${truth.x + truth.w}.00,${truth.y}.00 ${truth.x + truth.w}.00,${truth.y + truth.h}.00 ${truth.x}.00,${truth.y + truth.h}.00`);
    // On screen, the box's centre is the lesion's centre in image pixels (the stroke widens the box evenly).
    const centre = { x: (b.x + b.width / 2 - ox) / k, y: (b.y + b.height / 2 - oy) / k };
    expect(Math.abs(centre.x - (truth.x + truth.w / 2))).toBeLessThan(0.25);
    expect(Math.abs(centre.y - (truth.y + truth.h / 2))).toBeLessThan(0.25);
    // Its size is the lesion's, give or take the stroke (at most 5 screen pixels a side).
    expect(Math.abs(b.width / k - truth.w)).toBeLessThanOrEqual(10 / k);
    expect(Math.abs(b.height / k - truth.h)).toBeLessThanOrEqual(10 / k);

    // Switch to run B: its shifted box is an FP and the lesion an FN.
    await image.getByTestId('image-run').selectOption(String(seeded.runB));
    await expect(image.getByTestId('image-boxes')).toHaveAttribute('data-count', '2');
    expect(await drawnBoxes(page, 'image-boxes')).toEqual([
      { kind: 'prediction', outcome: 'fp', ...truth, x: truth.x + 22 },
      { kind: 'truth', outcome: 'fn', ...truth },
    ]);
    // Each layer can be switched off.
    await image.getByTestId('boxes-truth').uncheck();
    expect(await drawnBoxes(page, 'image-boxes')).toEqual([{ kind: 'prediction', outcome: 'fp', ...truth, x: truth.x + 22 }]);
    await image.getByTestId('boxes-prediction').uncheck();
    await expect(image.getByTestId('image-boxes')).toHaveCount(0);
    expect(host.blocked).toEqual([]);
  });
  test('detection boxes over a DICOM image follow the Cornerstone viewport when it is panned and zoomed', async () => {
    const { page } = host;
    const db = host.app.services.db;
    const fixture = path.resolve(__dirname, '../fixtures/dicom/CT_small.dcm');
    await importPaths(host.app.services, [fixture], { actor: { id: null, name: 'e2e' }, workerFile: ingestWorkerFile() });
    const ct = db.prepare("SELECT id, width, height FROM images WHERE original_name = 'CT_small.dcm'").get() as { id: number; width: number; height: number };
    const admin = await backend(host, 'algoadmin');
    const engineer = await backend(host, 'engineer');
    const dataset = await engineer<{ id: number }>('datasets:create', { name: 'CT boxes', purpose: 'application_test', filter: { ids: [ct.id] } });
    const model = await admin<{ id: number }>('models:create', { name: 'CtDet', task: 'detection' });
    const truth = { x: 30, y: 40, w: 24, h: 20 };
    await engineer('groundTruth:import', { datasetId: dataset.id, task: 'detection', source: { name: 'ct.csv', text: `image_key,class,x,y,w,h\nCT_small.dcm,nodule,${truth.x},${truth.y},${truth.w},${truth.h}` } });
    const run = await engineer<RunView>('runs:create', { name: 'CtDet v1', modelId: model.id, datasetId: dataset.id, iou: 0.5, parameterValues: {} });
    await engineer('runs:importResults', { runId: run.id, source: { name: 'ct-pred.csv', text: `image_key,class,score,x,y,w,h\nCT_small.dcm,nodule,0.9,${truth.x},${truth.y},${truth.w},${truth.h}` } });

    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('runs-grid').locator(`.ag-row[row-id="${run.id}"]`).click();
    await page.getByTestId('result-cell-class:nodule-tp').click();
    await page.getByTestId('drill').getByTestId(`drill-image-${ct.id}`).click();
    const image = page.getByTestId('image-dialog');
    await expect(image.getByTestId('viewport-element')).toHaveAttribute('data-status', 'shown', { timeout: 20_000 });
    const overlay = image.getByTestId('dicom-boxes');
    await expect(overlay).toHaveAttribute('data-count', '2');
    expect(await drawnBoxes(page, 'dicom-boxes')).toEqual([
      { kind: 'prediction', outcome: 'tp', ...truth },
      { kind: 'truth', outcome: 'tp', ...truth },
    ]);
    const corners = async () => {
      const points = (await overlay.locator('[data-kind="truth"] polygon').getAttribute('points')) ?? '';
      return points.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
    };
    // The default viewport fits the image into the canvas, centred: the box lands where its pixels are.
    const [vw, vh] = ((await overlay.getAttribute('viewBox')) ?? '').split(' ').slice(2).map(Number) as [number, number];
    const scale = Math.min(vw / ct.width, vh / ct.height);
    const at = (x: number, y: number): [number, number] => [vw / 2 + (x - ct.width / 2) * scale, vh / 2 + (y - ct.height / 2) * scale];
    const before = await corners();
    const expected = [at(truth.x, truth.y), at(truth.x + truth.w, truth.y), at(truth.x + truth.w, truth.y + truth.h), at(truth.x, truth.y + truth.h)];
    before.forEach(([x, y], i) => {
      expect(Math.abs(x - (expected[i] as [number, number])[0]), `corner ${i} x`).toBeLessThan(0.6);
      expect(Math.abs(y - (expected[i] as [number, number])[1]), `corner ${i} y`).toBeLessThan(0.6);
    });

    // Pan with the middle button: the boxes move with the image.
    const canvas = await image.getByTestId('viewport-element').boundingBox();
    if (!canvas) throw new Error('the viewport is not laid out');
    const cx = canvas.x + canvas.width / 2;
    const cy = canvas.y + canvas.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down({ button: 'middle' });
    await page.mouse.move(cx + 20, cy + 10, { steps: 4 });
    await page.mouse.move(cx + 40, cy + 25, { steps: 4 });
    await page.mouse.up({ button: 'middle' });
    await expect.poll(async () => (await corners())[0]?.[0]).not.toBeCloseTo(before[0]?.[0] as number, 1);
    const after = await corners();
    after.forEach(([x, y], i) => {
      expect(Math.abs(x - (before[i] as [number, number])[0] - 40), `corner ${i} x`).toBeLessThan(1.5);
      expect(Math.abs(y - (before[i] as [number, number])[1] - 25), `corner ${i} y`).toBeLessThan(1.5);
    });

    // Zoom with the right button (drag up): the box grows with the image, keeping its shape.
    const size = (c: [number, number][]) => [(c[1] as [number, number])[0] - (c[0] as [number, number])[0], (c[3] as [number, number])[1] - (c[0] as [number, number])[1]] as const;
    const [w0, h0] = size(after);
    await page.mouse.move(cx, cy);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(cx, cy + 30, { steps: 5 });
    await page.mouse.move(cx, cy + 60, { steps: 5 });
    await page.mouse.up({ button: 'right' });
    await expect.poll(async () => Math.abs(size(await corners())[0] - w0)).toBeGreaterThan(2);
    const [w1, h1] = size(await corners());
    expect(Math.abs(w1 / w0 - h1 / h0)).toBeLessThan(0.02);
    expect(Math.abs(w0 / h0 - truth.w / truth.h)).toBeLessThan(0.02);
    expect(host.blocked).toEqual([]);
  });
});
