/**
 * Issue 3 item 7 (de-identification on import), through the UI: an ops user ticks "De-identify
 * on import", imports a folder of files carrying planted PHI, and the data browser shows the
 * images tagged deidentified=yes with no patient name, ID or institution; the stored files and
 * the database hold none of the planted strings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { hashPassword } from '../../src/main/auth/password';
import { insertUser, setRoles } from '../../src/main/auth/users-repository';
import { PHI_TOKENS, phiElements, survivors } from '../../src/main/ingest/deidentify/test-support/phi';
import { plant } from '../../src/main/ingest/deidentify/test-support/plant';
import { blobPath } from '../../src/main/storage/blob-layout';
import { expect, test } from './fixtures';

const OPS = { username: 'dora', displayName: 'Dora Ops', password: 'ops-password-2' };
const FIXTURES = path.resolve(__dirname, '../fixtures/dicom');

test.describe.configure({ timeout: 120_000 });

async function login(page: Page): Promise<void> {
  await expect(page.getByTestId('login-form')).toBeVisible();
  await page.getByTestId('login-username').fill(OPS.username);
  await page.getByTestId('login-password').fill(OPS.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('shell')).toBeVisible({ timeout: 15_000 });
}

const gridRows = (page: Page, testId: string) => page.getByTestId(testId).locator('.ag-row');

test('ops imports with "De-identify on import" ticked and browses de-identified images', async ({ midc }) => {
  const { page } = midc;
  const db = midc.app.services.db;
  const input = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-e2e-deid-'));
  try {
    const planted = phiElements({ explicitOnly: true });
    const patientName = PHI_TOKENS.find((t) => t.endsWith('PATNAME')) as string;
    const patientId = PHI_TOKENS.find((t) => t.endsWith('PATID')) as string;
    const institution = PHI_TOKENS.find((t) => t.endsWith('INSTITUTION')) as string;
    fs.writeFileSync(path.join(input, 'ct.dcm'), plant(new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'CT_small.dcm'))), planted));
    fs.writeFileSync(path.join(input, 'mr.dcm'), plant(new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'MR_small.dcm'))), planted));

    const hash = await hashPassword(OPS.password);
    db.transaction(() => {
      const id = insertUser(db, { username: OPS.username, displayName: OPS.displayName, passwordHash: hash, createdAt: new Date().toISOString() });
      setRoles(db, id, ['ops']);
    })();
    await page.reload();
    await login(page);

    await page.keyboard.press('Control+i');
    await expect(page.getByTestId('import-form')).toBeVisible();
    const box = page.getByTestId('import-deidentify');
    await expect(box).toBeEnabled();
    await expect(box).not.toBeChecked();
    await expect(box).toHaveAccessibleDescription(/The original files are not changed\./);
    // Keyboard: focus the box and tick it with Space.
    await box.focus();
    await page.keyboard.press('Space');
    await expect(box).toBeChecked();

    await page.getByTestId('import-paths').fill(input);
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('import-finished')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('import-done')).toContainText('2 imported, 0 duplicates, 0 quarantined');

    // The data browser: the images carry deidentified=yes and no patient name, ID or institution.
    await page.getByTestId('import-show-browser').click();
    await expect(gridRows(page, 'browser-grid')).toHaveCount(2);
    const grid = page.getByTestId('browser-grid');
    for (const token of [patientName, patientId, institution]) await expect(grid).not.toContainText(token);
    await expect(grid.locator('.ag-cell[col-id="tag:patient_id"]')).toHaveText(['', '']);
    await expect(grid.locator('.ag-cell[col-id="tag:institution"]')).toHaveText(['', '']);

    await page.getByTestId('filter-key-0').fill('deidentified');
    await page.getByTestId('filter-op-0').selectOption('eq');
    await page.getByTestId('filter-value-0').fill('yes');
    await page.getByTestId('filter-apply').click();
    await expect(gridRows(page, 'browser-grid')).toHaveCount(2);
    await page.getByTestId('browser-columns').click();
    await page.getByTestId('column-deidentified').check();
    await page.keyboard.press('Escape');
    // The grid renders only the columns in view: scroll to the right end, where the new column is.
    await grid.locator('.ag-body-horizontal-scroll-viewport').evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
      el.dispatchEvent(new Event('scroll'));
    });
    await expect(grid.locator('.ag-cell[col-id="tag:deidentified"]')).toHaveText(['yes', 'yes']);

    // What MIDC stored: the de-identified copies, their hashes in the database.
    const rows = db.prepare('SELECT sha256, patient_id FROM images').all() as { sha256: string; patient_id: string | null }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.patient_id).toBeNull();
      expect(survivors(fs.readFileSync(blobPath(midc.app.services.workspace.storageDir, row.sha256)))).toEqual([]);
    }
  } finally {
    fs.rmSync(input, { recursive: true, force: true });
  }
});
