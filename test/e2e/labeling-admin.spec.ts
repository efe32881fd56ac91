/**
 * Issue 4 items 1–2 on the Chromium host: a labeling admin edits the guideline (markdown
 * preview) and the label schema (a new summary version; version 1 stays as it was), splits
 * the dataset, sees the progress chart move after an annotator completes a ticket, opens the
 * quality grid and drills from a count to an image that opens in the workspace, submits the
 * dataset to core data; the image's tag flow then shows the labeling tags. An expert edits
 * the guidelines but not the schema. The annotator's and expert's work in between goes
 * through the backend channels (the drawing itself is covered by labeling.spec.ts).
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { hashPassword } from '../../src/main/auth/password';
import { insertUser, setRoles } from '../../src/main/auth/users-repository';
import { importPaths } from '../../src/main/ingest/ingest-service';
import type { Sender } from '../../src/main/ipc/sender';
import type { LabelingDatasetView, TicketDetail } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';
import type { Role } from '../../src/shared/roles';
import { built, DICOM_FIXTURES } from '../helpers/built';
import { expect, test, type MidcHost } from './fixtures';

const PASSWORD = 'labeling-admin-pass-1';
const USERS: Record<string, Role[]> = { oskar: ['ops'], lara: ['labeling_admin'], anna: ['annotator'], eric: ['expert'] };
const SCHEMA = {
  classes: [{ name: 'nodule', color: '#ff4400', key: 'n', shapes: ['ellipse', 'rectangle'], attributes: [] }],
  imageClasses: ['normal', 'abnormal'],
};

test.describe.configure({ timeout: 180_000 });

async function call<T>(midc: MidcHost, who: Sender, channel: string, payload: unknown): Promise<T> {
  const r = (await midc.app.dispatch(who, channel, payload)) as Result<T>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

async function login(page: Page, username: string): Promise<void> {
  // Users are seeded after the page loaded (it showed first-run setup then): reload unless logged in.
  if (await page.getByTestId('shell').isVisible()) await page.getByTestId('logout').click();
  else await page.reload();
  await expect(page.getByTestId('login-form')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('shell')).toBeVisible({ timeout: 15_000 });
}

const ellipse = (id: string, cx: number, cy: number) => ({ id, class: 'nodule', shape: 'ellipse', geometry: { cx, cy, rx: 10, ry: 8 }, attributes: {} });

test('a labeling admin edits the summary, splits, watches progress, drills quality to an image and submits to core data', async ({ midc }) => {
  const db = midc.app.services.db;
  const hash = await hashPassword(PASSWORD);
  const ids: Record<string, number> = {};
  for (const [username, roles] of Object.entries(USERS)) {
    ids[username] = insertUser(db, { username, displayName: username[0]?.toUpperCase() + username.slice(1), passwordHash: hash, createdAt: new Date().toISOString() });
    setRoles(db, ids[username] as number, roles);
  }
  const backend: Record<string, Sender> = {};
  for (const username of Object.keys(USERS)) {
    backend[username] = { id: `e2e-backend-${username}`, origin: midc.app.services.appOrigin, isMainFrame: true };
    await call(midc, backend[username] as Sender, 'auth:login', { username, password: PASSWORD });
  }
  const files = ['CT_small.dcm', 'MR_small.dcm', 'MR_small_RLE.dcm'].map((f) => path.join(DICOM_FIXTURES, f));
  await importPaths(midc.app.services, files, { actor: { id: null, name: 'e2e' }, workerFile: built('ingest-worker.js') });
  const ct = (db.prepare("SELECT id FROM images WHERE original_name = 'CT_small.dcm'").get() as { id: number }).id;
  const toLabel = await call<{ id: number }>(midc, backend.oskar as Sender, 'datasets:create', { name: 'to label', purpose: 'to_label', filter: { tags: [], viewable: true } });
  const labeling = await call<LabelingDatasetView>(midc, backend.lara as Sender, 'labeling:createFromToLabel', {
    sourceDatasetId: toLabel.id,
    name: 'Chest nodules',
    guidelines: 'Old text',
    schema: SCHEMA,
  });
  const datasetId = labeling.dataset.id;
  const { page } = midc;

  // --- Guideline (markdown with preview) and schema: saving makes version 2.
  await login(page, 'lara');
  await page.getByTestId('nav-workspace').click();
  await page.getByTestId(`labeling-select-${datasetId}`).click();
  await expect(page.getByTestId('summary-version')).toContainText('version 1');
  await page.getByTestId('summary-guidelines').fill('# Nodules\n\nMark **every** nodule.\n\n- solid\n- part-solid');
  const preview = page.getByTestId('summary-preview');
  await expect(preview.locator('h3')).toHaveText('Nodules');
  await expect(preview.locator('strong')).toHaveText('every');
  await expect(preview.locator('li')).toHaveCount(2);
  await page.getByTestId('schema-add-class').click();
  await page.getByTestId('schema-class-name-1').fill('mass');
  await page.getByTestId('schema-class-key-1').fill('n');
  await page.getByTestId('schema-class-shape-1-ellipse').uncheck();
  await page.getByTestId('schema-class-shape-1-freehand').check();
  await page.getByTestId('schema-attr-add-1').click();
  await page.getByTestId('schema-attr-name-1-0').fill('size');
  await page.getByTestId('schema-attr-type-1-0').selectOption('number');
  // A duplicate key is refused in the form, naming the field.
  await page.getByTestId('summary-save').click();
  await expect(page.getByTestId('summary-editor').getByTestId('error-banner')).toContainText('each class needs its own key');
  await page.getByTestId('schema-class-key-1').fill('m');
  await page.getByTestId('summary-save').click();
  await expect(page.getByTestId('summary-version')).toContainText('version 2');
  const summaries = db.prepare('SELECT version, guidelines, label_schema FROM labeling_summaries WHERE dataset_id = ? ORDER BY version').all(datasetId) as {
    version: number;
    guidelines: string;
    label_schema: string;
  }[];
  expect(summaries.map((s) => [s.version, s.guidelines.split('\n')[0]])).toEqual([
    [1, 'Old text'],
    [2, '# Nodules'],
  ]);
  expect(JSON.parse((summaries[0] as { label_schema: string }).label_schema).classes.map((c: { name: string }) => c.name)).toEqual(['nodule']);
  expect(JSON.parse((summaries[1] as { label_schema: string }).label_schema).classes[1]).toEqual({
    name: 'mass',
    color: expect.stringMatching(/^#[0-9a-f]{6}$/),
    key: 'm',
    shapes: ['freehand'],
    attributes: [{ name: 'size', type: 'number', options: [], required: true }],
  });

  // --- Split by study for Anna, high priority, with a due date.
  await page.getByTestId('labeling-split-by').selectOption('study');
  await page.getByTestId('labeling-split-per').fill('1');
  await page.getByTestId('labeling-split-priority').selectOption('high');
  await page.getByTestId('labeling-split-due').fill('2027-01-31');
  await page.getByTestId('labeling-split-annotator-anna').check();
  await page.getByTestId('labeling-split-submit').click();
  await expect(page.getByTestId('labeling-tickets-grid').locator('.ag-row')).toHaveCount(2);
  expect(db.prepare('SELECT assignee_id, state, priority, due_date FROM tickets WHERE dataset_id = ? ORDER BY id').all(datasetId)).toEqual([
    { assignee_id: ids.anna, state: 'assigned', priority: 'high', due_date: '2027-01-31' },
    { assignee_id: ids.anna, state: 'assigned', priority: 'high', due_date: '2027-01-31' },
  ]);
  const chart = page.getByTestId('progress-chart');
  await expect(chart.getByTestId('progress-bar-dataset-inTickets')).toHaveAttribute('data-done', '3');
  await expect(chart.getByTestId('progress-bar-dataset-annotated')).toHaveAttribute('data-done', '0');
  await expect(chart.getByTestId(`progress-bar-annotator-${ids.anna}`)).toHaveAttribute('data-total', '3');
  await expect(chart.getByTestId(`progress-bar-annotator-${ids.anna}`)).toHaveAttribute('data-done', '0');

  // --- Anna completes the CT ticket; the expert accepts it and adds a nodule Anna missed (gold).
  const ctTicket = (db.prepare('SELECT ticket_id FROM ticket_images WHERE dataset_id = ? AND image_id = ?').get(datasetId, ct) as { ticket_id: number }).ticket_id;
  const detail = await call<TicketDetail>(midc, backend.anna as Sender, 'tickets:get', { id: ctTicket });
  expect(detail.images.map((i) => i.image.id)).toEqual([ct]);
  const anna = await call<{ annotation: { id: number } }>(midc, backend.anna as Sender, 'annotations:save', {
    ticketId: ctTicket,
    imageId: ct,
    revision: 1,
    schemaVersion: 2,
    doc: { imageClass: 'abnormal', marks: [ellipse('a1', 40, 40)] },
  });
  await call(midc, backend.anna as Sender, 'tickets:submit', { id: ctTicket });
  await page.getByTestId('labeling-refresh').click();
  await expect(chart.getByTestId('progress-bar-dataset-annotated')).toHaveAttribute('data-done', '1');
  await expect(chart.getByTestId(`progress-bar-annotator-${ids.anna}`)).toHaveAttribute('data-done', '1');
  await expect(chart.getByTestId(`progress-bar-ticket-${ctTicket}`)).toHaveAttribute('data-done', '1');
  await expect(page.getByTestId(`labeling-ticket-state-${ctTicket}`)).toHaveText('Submitted');

  await call(midc, backend.eric as Sender, 'tickets:accept', { id: ctTicket });
  await call(midc, backend.eric as Sender, 'annotations:saveReview', {
    datasetId,
    imageId: ct,
    kind: 'gold',
    revision: 1,
    schemaVersion: 2,
    basedOnId: anna.annotation.id,
    doc: { imageClass: 'abnormal', marks: [ellipse('a1', 40, 40), ellipse('g2', 90, 90)] },
  });

  // --- Quality grid: Anna matched one nodule and missed one; the count drills to CT_small.
  await page.getByTestId('labeling-refresh').click();
  await expect(chart.getByTestId('progress-bar-dataset-gold')).toHaveAttribute('data-done', '1');
  const quality = page.getByTestId('quality-grid');
  await expect(quality.locator(`.ag-row[row-id="${ids.anna}"] [col-id="matched"]`)).toHaveText('1');
  await page.getByTestId(`quality-cell-${ids.anna}-missing`).click();
  const drill = page.getByTestId('quality-drill');
  await expect(drill).toContainText('CT_small.dcm');
  await drill.getByTestId(`quality-drill-image-${ct}`).click();
  await expect(page.getByTestId('annotation-view')).toHaveAttribute('data-mode', 'images');
  await expect(page.getByTestId('viewport-element')).toHaveAttribute('data-status', 'shown', { timeout: 20_000 });
  await page.getByTestId('ws-close').click();

  // --- Submit to core data: the ground truth is published with labeling tags.
  await page.getByTestId(`labeling-select-${datasetId}`).click();
  await expect(page.getByTestId('core-status')).toContainText('Not submitted yet');
  await page.getByTestId('core-submit').click();
  await expect(page.getByTestId('core-status')).toContainText('1 images published (1 gold, 0 accepted)');

  // --- Export as DICOM SR TID 1500: one file for the one image with ground truth.
  await page.getByTestId('export-sr').click();
  await expect(page.getByTestId('export-summary')).toContainText('1 SR files (one per DICOM image); 0 PNG/JPEG images and 2 without ground truth left out.');
  await expect(page.getByTestId('export-file-CT_small-sr.dcm')).toHaveAttribute('href', /^blob:/);

  // --- The image's tag flow (ops, data browser) shows the labeling tags.
  await login(page, 'oskar');
  await page.getByTestId('nav-data').click();
  await page.getByTestId('data-tab-browser').click();
  await page.getByTestId('browser-grid').locator(`.ag-row[row-id="${ct}"] [col-id="originalName"]`).click();
  const group = page.getByTestId('tagflow-drawer').getByTestId('tagflow-group-labeling');
  await expect(group.getByTestId('tagflow-tag-labeling:dataset')).toContainText('Chest nodules');
  await expect(group.getByTestId('tagflow-tag-labeling:type')).toContainText('classification+detection');
  await expect(group.getByTestId('tagflow-tag-labeling:object')).toContainText('nodule');
  await expect(group.getByTestId('tagflow-tag-labeling:truth')).toContainText('gold #');

  // --- The expert edits the guidelines (a new version) but sees the schema read-only.
  await login(page, 'eric');
  await page.getByTestId('nav-workspace').click();
  await page.getByTestId('labeling-expert').getByTestId(`labeling-select-${datasetId}`).click();
  await expect(page.getByTestId('schema-readonly')).toContainText('mass');
  await expect(page.getByTestId('schema-editor')).toHaveCount(0);
  await page.getByTestId('summary-guidelines').fill('# Nodules\n\nAlso mark ground-glass nodules.');
  await page.getByTestId('summary-save').click();
  await expect(page.getByTestId('summary-version')).toContainText('version 3');
  const v3 = db.prepare('SELECT guidelines, label_schema FROM labeling_summaries WHERE dataset_id = ? AND version = 3').get(datasetId) as { guidelines: string; label_schema: string };
  expect(v3.guidelines).toContain('ground-glass');
  expect(v3.label_schema).toBe((summaries[1] as { label_schema: string }).label_schema);
});
