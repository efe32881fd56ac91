/**
 * Issue 4 item 4: the Cornerstone viewer in real Chromium under the app's CSP. Real DICOM
 * fixtures are imported through the main-side import; an expert opens them by id in the
 * workspace. Every viewable fixture must paint a non-blank canvas; the SEG object must say
 * why it cannot be shown; window/level presets and invert must change the pixels.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { hashPassword } from '../../src/main/auth/password';
import { insertUser, setRoles } from '../../src/main/auth/users-repository';
import { importPaths } from '../../src/main/ingest/ingest-service';
import type { Role } from '../../src/shared/roles';
import { built, DICOM_FIXTURES } from '../helpers/built';
import { expect, test, type MidcHost } from './fixtures';

const PASSWORD = 'viewer-pass-1';
const VIEWABLE = ['CT_small.dcm', 'MR_small.dcm', 'MR_small_RLE.dcm', 'MR_small_implicit.dcm', 'JPEG-lossy.dcm'];
/** JPEG 2000 and JPEG-LS: decoded by the standalone codecs under the CSP (test/fixtures/dicom-codecs). */
const CODEC_FIXTURES = ['MR_small_jp2klossless.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'JPEG2000.dcm'];
const CODEC_DIR = path.join(DICOM_FIXTURES, '..', 'dicom-codecs');
const NOT_VIEWABLE = 'liver_1frame.dcm';

test.describe.configure({ timeout: 120_000 });

/** The page's canvas, typed structurally (this file compiles without the DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(type: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
const CANVAS = '[data-testid="viewport-element"] canvas';


async function seedUser(midc: MidcHost, username: string, roles: Role[]): Promise<number> {
  const db = midc.app.services.db;
  const hash = await hashPassword(PASSWORD);
  const id = insertUser(db, { username, displayName: username, passwordHash: hash, createdAt: new Date().toISOString() });
  setRoles(db, id, roles);
  return id;
}

async function importFixtures(midc: MidcHost, names: string[]): Promise<Record<string, number>> {
  const report = await importPaths(
    midc.app.services,
    names.map((n) => path.join(CODEC_FIXTURES.includes(n) ? CODEC_DIR : DICOM_FIXTURES, n)),
    { actor: { id: null, name: 'e2e' }, workerFile: built('ingest-worker.js') },
  );
  const ids: Record<string, number> = {};
  for (const item of report.items) if (item.id !== null) ids[path.basename(item.path)] = item.id;
  return ids;
}

async function login(page: Page, username: string): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('login-form')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('shell')).toBeVisible({ timeout: 15_000 });
}

/** Non-black pixels and a checksum of the viewport canvas, read in the page. */
function canvasStats(page: Page): Promise<{ width: number; height: number; lit: number; sum: number }> {
  return page.locator(CANVAS).evaluate((el: unknown) => {
    const canvas = el as CanvasLike;
    const ctx = canvas.getContext('2d');
    if (!ctx) return { width: canvas.width, height: canvas.height, lit: 0, sum: 0 };
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let lit = 0;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) {
      const v = (data[i] as number) + (data[i + 1] as number) + (data[i + 2] as number);
      if (v > 0) lit++;
      sum = (sum + v * ((i >> 2) % 9973)) % 2147483647;
    }
    return { width: canvas.width, height: canvas.height, lit, sum };
  });
}

async function openImages(page: Page, ids: number[]): Promise<void> {
  await page.getByTestId('nav-workspace').click();
  await page.getByTestId('open-images-ids').fill(ids.join(','));
  await page.getByTestId('open-images-submit').click();
  await expect(page.getByTestId('annotation-view')).toBeVisible();
}

async function showImage(page: Page, id: number): Promise<void> {
  await page.getByTestId(`image-row-${id}`).click();
  await expect(page.getByTestId('viewport-element')).not.toHaveAttribute('data-status', 'loading', { timeout: 20_000 });
}

test('every viewable fixture (JPEG 2000 and JPEG-LS too) paints the canvas and the SEG object says why it cannot be shown', async ({ midc }) => {
  const ids = await importFixtures(midc, [...VIEWABLE, ...CODEC_FIXTURES, NOT_VIEWABLE]);
  for (const name of [...VIEWABLE, ...CODEC_FIXTURES, NOT_VIEWABLE]) expect(ids[name], name).toBeGreaterThan(0);
  await seedUser(midc, 'erin', ['expert']);
  const { page } = midc;
  await login(page, 'erin');
  await openImages(page, [...VIEWABLE, ...CODEC_FIXTURES, NOT_VIEWABLE].map((n) => ids[n] as number));

  for (const name of [...VIEWABLE, ...CODEC_FIXTURES]) {
    await showImage(page, ids[name] as number);
    await expect(page.getByTestId('viewport-element'), name).toHaveAttribute('data-status', 'shown');
    // The canvas is drawn on the next animation frame after displayImage.
    await expect.poll(async () => (await canvasStats(page)).lit, { message: `${name} paints pixels` }).toBeGreaterThan(1000);
  }

  await showImage(page, ids[NOT_VIEWABLE] as number);
  await expect(page.getByTestId('viewport-element')).toHaveAttribute('data-status', 'unavailable');
  const message = page.getByTestId('viewport-unavailable');
  await expect(message).toBeVisible();
  await expect(message).toHaveAttribute('data-reason', 'notViewable');
  await expect(message).toContainText('no image that can be displayed');
  // Previous image by keyboard: the last viewable fixture is shown again.
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('viewport-element')).toHaveAttribute('data-status', 'shown', { timeout: 20_000 });
  await expect(page.getByTestId(`image-row-${ids['JPEG2000.dcm']}`)).toHaveClass(/selected/);
  expect(midc.blocked).toEqual([]);
});

test('window/level presets and invert change the pixels; reset restores them', async ({ midc }) => {
  const ids = await importFixtures(midc, ['CT_small.dcm']);
  await seedUser(midc, 'erin', ['expert']);
  const { page } = midc;
  await login(page, 'erin');
  await openImages(page, [ids['CT_small.dcm'] as number]);
  await expect(page.getByTestId('viewport-element')).toHaveAttribute('data-status', 'shown', { timeout: 20_000 });
  await expect.poll(async () => (await canvasStats(page)).lit).toBeGreaterThan(1000);
  const initial = await canvasStats(page);

  await page.getByTestId('preset-lung').click();
  await expect(page.getByTestId('viewer-window')).toContainText('W 1500 / L -600');
  await expect.poll(async () => (await canvasStats(page)).sum).not.toBe(initial.sum);
  const lung = await canvasStats(page);

  await page.keyboard.press('Control+4'); // brain
  await expect(page.getByTestId('viewer-window')).toContainText('W 80 / L 40');
  await expect.poll(async () => (await canvasStats(page)).sum).not.toBe(lung.sum);

  const brain = await canvasStats(page);
  await page.getByTestId('view-invert').click();
  await expect.poll(async () => (await canvasStats(page)).sum).not.toBe(brain.sum);
  await page.keyboard.press('Shift+I');
  await expect.poll(async () => (await canvasStats(page)).sum).toBe(brain.sum);

  await page.getByTestId('view-reset').click();
  await expect.poll(async () => (await canvasStats(page)).sum).toBe(initial.sum);
});
