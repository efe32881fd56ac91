/**
 * Issue 3 acceptance (item 8, the ops UI): an ops user imports a folder through the UI, sees the
 * progress and the batch report, browses the images, filters by institution, bulk-edits a tag
 * on the filtered set and creates a to-label dataset from the filter; the database agrees.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { hashPassword } from '../../src/main/auth/password';
import { insertUser, setRoles } from '../../src/main/auth/users-repository';
import { expect, test } from './fixtures';
import { login } from './session';

const OPS = { username: 'olga', displayName: 'Olga Ops', password: 'ops-password-1' };
const FIXTURES = path.resolve(__dirname, '../fixtures/dicom');
const SITE = 'E2E Imaging Site';
const DATASET = 'E2E site to label';

// The files of test/fixtures/dicom and their fate (its README; `midc import --json` agrees).
const TOTAL = 12;
const IMPORTED = 9;
const QUARANTINED = ['MR_truncated.dcm', 'README.md', 'rtplan.dcm'];

// scrypt is slow on purpose; an import starts worker threads.
test.describe.configure({ timeout: 120_000 });

// Body rows only (header rows are .ag-header-row); no grid here pins columns, so each row renders once.
const gridRows = (page: Page, testId: string) => page.getByTestId(testId).locator('.ag-row');

test('ops imports a folder, browses, filters, bulk-edits tags and creates a to-label dataset', async ({ midc }) => {
  const { page } = midc;
  const db = midc.app.services.db;

  // An ops account, made directly in the database (the admin UI is covered by accounts.spec.ts).
  const hash = await hashPassword(OPS.password);
  const opsId = db.transaction(() => {
    const id = insertUser(db, { username: OPS.username, displayName: OPS.displayName, passwordHash: hash, createdAt: new Date().toISOString() });
    setRoles(db, id, ['ops']);
    return id;
  })();
  await page.reload();
  await login(page, OPS.username, OPS.password);

  // Ctrl+I is the "open the import wizard" command.
  await expect(page.getByTestId('nav-data')).toBeVisible();
  await page.keyboard.press('Control+i');
  await expect(page.getByTestId('module-data')).toBeVisible();
  await expect(page.getByTestId('import-form')).toBeVisible();
  // De-identification is offered, off by default (deidentify.spec.ts covers it ticked).
  await expect(page.getByTestId('import-deidentify')).toBeEnabled();
  await expect(page.getByTestId('import-deidentify')).not.toBeChecked();

  await page.getByTestId('import-paths').fill(FIXTURES);
  await page.getByTestId('import-tag-key-0').fill('institution');
  await page.getByTestId('import-tag-value-0').fill(SITE);
  // Enter in a form field starts the import.
  await page.getByTestId('import-tag-value-0').press('Enter');

  // Progress reaches the total, then the report.
  await expect(page.getByTestId('import-finished')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('import-count-done')).toHaveText(`${TOTAL} of ${TOTAL} files`);
  await expect(page.getByTestId('import-bar')).toHaveAttribute('value', String(TOTAL));
  await expect(page.getByTestId('import-bar')).toHaveAttribute('max', String(TOTAL));
  await expect(page.getByTestId('import-count-imported')).toHaveText(String(IMPORTED));
  await expect(page.getByTestId('import-count-duplicates')).toHaveText('0');
  await expect(page.getByTestId('import-count-quarantined')).toHaveText(String(QUARANTINED.length));
  await expect(page.getByTestId('import-count-total')).toHaveText(String(TOTAL));
  await expect(page.getByTestId('import-done')).toContainText(`${IMPORTED} imported, 0 duplicates, ${QUARANTINED.length} quarantined`);

  await expect(gridRows(page, 'import-report-grid')).toHaveCount(TOTAL);
  await expect(page.getByTestId('import-report-grid').locator('.row-quarantined')).toHaveCount(QUARANTINED.length);
  await page.getByTestId('import-report-quarantined-only').check();
  const quarantined = gridRows(page, 'import-report-grid');
  await expect(quarantined).toHaveCount(QUARANTINED.length);
  for (const name of QUARANTINED) await expect(page.getByTestId('import-report-grid')).toContainText(name);
  // The reasons are the importer's human-readable ones.
  await expect(page.getByTestId('import-report-grid')).toContainText('probably truncated');
  await expect(page.getByTestId('import-report-grid')).toContainText('not a DICOM file');
  await expect(page.getByTestId('import-report-grid')).toContainText('no pixel data');

  // The batch history opens the same report.
  await page.getByTestId('data-tab-batches').click();
  await expect(gridRows(page, 'batches-grid')).toHaveCount(1);
  await gridRows(page, 'batches-grid').first().click();
  await expect(page.getByTestId('batch-report-title')).toHaveText('Report of batch 1');
  await expect(gridRows(page, 'batch-report-grid')).toHaveCount(TOTAL);

  // The data browser: every imported image, with its tags and a thumbnail.
  await page.getByTestId('data-tab-browser').click();
  await expect(page.getByTestId('browser-page-info')).toHaveText(`Images 1–${IMPORTED} of ${IMPORTED}`);
  await expect(gridRows(page, 'browser-grid')).toHaveCount(IMPORTED);
  await expect(page.getByTestId('browser-grid')).toContainText(SITE);
  await expect(page.getByTestId('browser-grid').locator('img.thumb').first()).toHaveAttribute('src', /^blob:/);

  // The near-duplicate finder pairs the same MR image stored in other encodings (pixel hashes are
  // computed in the background, so ask again until they are there).
  await page.getByTestId('data-tab-duplicates').click();
  await expect(async () => {
    await page.getByTestId('duplicates-find').click();
    await expect(page.getByTestId('duplicate-pair').filter({ hasText: 'MR_small.dcm' }).filter({ hasText: 'MR_small_implicit.dcm' })).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('duplicate-pair').first().locator('img.thumb')).toHaveCount(2);
  await page.getByTestId('data-tab-browser').click();

  // Two checked rows move to another institution (bulk edit of a selection)...
  for (const id of ['1', '2']) {
    await page.getByTestId('browser-grid').locator(`.ag-row[row-id="${id}"] input[type="checkbox"]`).first().check();
  }
  await expect(page.getByTestId('browser-selected')).toHaveAttribute('data-count', '2');
  await page.getByTestId('browser-bulk-edit').click();
  await expect(page.getByTestId('bulk-scope-selection')).toBeChecked();
  await page.getByTestId('bulk-key').fill('institution');
  await page.getByTestId('bulk-value').fill('Other Site');
  await page.getByTestId('bulk-value').press('Enter');
  await expect(page.getByTestId('bulk-confirm-text')).toHaveText('Set institution to “Other Site” on 2 images?');
  await page.getByTestId('bulk-confirm').click();
  await expect(page.getByTestId('bulk-done')).toHaveText('2 images updated.');
  // Escape closes the dialog.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('bulk-dialog')).toHaveCount(0);

  // ...so that the institution filter leaves the other seven.
  const kept = IMPORTED - 2;
  await page.getByTestId('filter-key-0').fill('institution');
  await page.getByTestId('filter-op-0').selectOption('eq');
  await page.getByTestId('filter-value-0').fill(SITE);
  await page.getByTestId('filter-value-0').press('Enter');
  await expect(page.getByTestId('browser-page-info')).toHaveText(`Images 1–${kept} of ${kept}`);
  await expect(gridRows(page, 'browser-grid')).toHaveCount(kept);
  await expect(page.getByTestId('browser-grid')).not.toContainText('Other Site');

  // Sorting is the server's: a header click asks for the page again in that order.
  const firstName = page.getByTestId('browser-grid').locator('.ag-row[row-index="0"] [col-id="originalName"]');
  const nameHeader = page.getByTestId('browser-grid').locator('.ag-header-cell[col-id="originalName"]');
  // Which two files left the filter depends on the import order (ids follow completion).
  const names = (
    db
      .prepare("SELECT original_name AS name FROM images i JOIN image_tags t ON t.image_id = i.id AND t.key = 'institution' WHERE t.value = ? ORDER BY original_name")
      .all(SITE) as { name: string }[]
  ).map((r) => r.name);
  expect(names).toHaveLength(kept);
  await nameHeader.click();
  await expect(firstName).toHaveText(names[0] as string);
  await nameHeader.click();
  await expect(firstName).toHaveText(names[kept - 1] as string);
  // Any tag can become a column (off to the right: the grid renders only visible columns, so count them).
  const grid = page.getByTestId('browser-grid').locator('[role="grid"]');
  const columnsBefore = Number(await grid.getAttribute('aria-colcount'));
  await page.getByTestId('browser-columns').click();
  await page.getByTestId('column-transfer_syntax').check();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('browser-columns-menu')).toHaveCount(0);
  await expect(grid).toHaveAttribute('aria-colcount', String(columnsBefore + 1));

  // Bulk edit of everything the filter matches.
  await page.getByTestId('browser-bulk-edit').click();
  await expect(page.getByTestId('bulk-scope-filter')).toBeChecked();
  await page.getByTestId('bulk-key').fill('body_part');
  await page.getByTestId('bulk-value').fill('CHEST');
  await page.getByTestId('bulk-review').click();
  await expect(page.getByTestId('bulk-confirm-text')).toHaveText(`Set body_part to “CHEST” on ${kept} images?`);
  await page.getByTestId('bulk-confirm').click();
  await expect(page.getByTestId('bulk-done')).toHaveText(`${kept} images updated.`);
  await page.getByTestId('bulk-close').click();
  await expect(page.getByTestId('browser-grid')).toContainText('CHEST');

  const chest = db
    .prepare("SELECT image_id AS id, origin, updated_by AS by FROM image_tags WHERE namespace = 'source' AND key = 'body_part' AND value = 'CHEST' ORDER BY image_id")
    .all() as { id: number; origin: string; by: number }[];
  expect(chest).toHaveLength(kept);
  expect(chest.every((r) => r.origin === 'user' && r.by === opsId)).toBe(true);
  expect(chest.map((r) => r.id)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  const history = db
    .prepare("SELECT image_id AS id, new_value AS value, changed_by AS by FROM image_tag_history WHERE key = 'body_part' AND new_value = 'CHEST' ORDER BY image_id")
    .all() as { id: number; value: string; by: number }[];
  expect(history.map((h) => h.id)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  expect(history.every((h) => h.by === opsId)).toBe(true);
  const moved = db
    .prepare("SELECT image_id AS id, old_value AS old, new_value AS value FROM image_tag_history WHERE key = 'institution' AND new_value = 'Other Site' ORDER BY image_id")
    .all();
  expect(moved).toEqual([
    { id: 1, old: SITE, value: 'Other Site' },
    { id: 2, old: SITE, value: 'Other Site' },
  ]);

  // A to-label dataset from the filter.
  await page.getByTestId('browser-create-dataset').click();
  await expect(page.getByTestId('dataset-scope-filter')).toBeChecked();
  await page.getByTestId('dataset-name').fill(DATASET);
  await page.getByTestId('dataset-description').fill('All CHEST images of the e2e site');
  await page.getByTestId('dataset-description').press('Enter');
  await expect(page.getByTestId('dataset-done')).toHaveText(`Dataset “${DATASET}” created with ${kept} images.`);

  const datasets = db.prepare('SELECT id, name, purpose, description, created_by AS by FROM datasets').all() as { id: number }[];
  expect(datasets).toEqual([{ id: expect.any(Number), name: DATASET, purpose: 'to_label', description: 'All CHEST images of the e2e site', by: opsId }]);
  const versions = db.prepare('SELECT dataset_id AS datasetId, version, image_count AS images, frozen_at AS frozenAt FROM dataset_versions').all();
  expect(versions).toEqual([{ datasetId: datasets[0]?.id, version: 1, images: kept, frozenAt: null }]);

  // It appears in the Datasets module.
  await page.getByTestId('dataset-open-datasets').click();
  await expect(page.getByTestId('module-datasets')).toBeVisible();
  await expect(gridRows(page, 'datasets-grid')).toHaveCount(1);
  const datasetRow = gridRows(page, 'datasets-grid').first();
  await expect(datasetRow).toContainText(DATASET);
  await expect(datasetRow).toContainText('To label');
  await expect(datasetRow.locator('[col-id="imageCount"]')).toHaveText(String(kept));
  await expect(datasetRow.locator('[col-id="latestVersion"]')).toHaveText('1');

  // Nothing the page did was blocked by the CSP (grid styles, blob: thumbnails).
  const blockedReports = db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'system:reportBlocked'").get() as { n: number };
  expect(blockedReports.n).toBe(0);
  expect(midc.blocked).toEqual([]);
});
