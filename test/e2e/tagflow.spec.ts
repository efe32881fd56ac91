/**
 * Issue 6 item 5 (tag flow), last step of its acceptance: on the demo workspace (`midc init
 * --demo`), ops opens an image of the data browser, sees its tags grouped (source with the
 * institution, datasets, labeling; test results hidden from ops), follows the dataset tag to
 * exactly the images of that dataset version, and re-targets the panel to one of them. The
 * screen is checked against the database, and the PHI reads against the audit log.
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, launchInTemp, test, type TempHost } from './fixtures';
import { demoWorkspace, login } from './session';

// midc init --demo imports 36 images and hashes the demo passwords.
test.describe.configure({ timeout: 180_000 });

async function tileIds(page: Page): Promise<number[]> {
  const ids = await page.getByTestId('tagflow-list').locator('[data-image-id]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-image-id'))));
  return ids.sort((a, b) => a - b);
}

test.describe('tag flow', () => {
  let host: TempHost;
  let dir: string;

  test.beforeEach(async () => {
    dir = await demoWorkspace('tagflow');
    host = await launchInTemp({ workspaceDir: dir });
  });
  test.afterEach(async () => {
    await host?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('ops opens an image’s tag flow and follows its dataset tag to the other images of that dataset', async () => {
    const { page } = host;
    const db = host.app.services.db;
    const testSet = db.prepare("SELECT d.id, v.version, v.id AS version_id FROM datasets d JOIN dataset_versions v ON v.dataset_id = d.id WHERE d.name = 'Demo application test'").get() as {
      id: number;
      version: number;
      version_id: number;
    };
    const members = (db.prepare('SELECT image_id FROM dataset_images WHERE version_id = ? ORDER BY image_id').all(testSet.version_id) as { image_id: number }[]).map((r) => r.image_id);
    const imageId = members[0] as number;
    const other = members[5] as number;

    await login(page, 'ops');
    await page.getByTestId('nav-data').click();
    await page.getByTestId('data-tab-browser').click();
    const grid = page.getByTestId('browser-grid');
    await expect(page.getByTestId('browser-page-info')).toContainText('36');

    // A click on the image's row opens its tag flow beside the grid.
    await grid.locator(`.ag-row[row-id="${imageId}"] [col-id="originalName"]`).click();
    const panel = page.getByTestId('tagflow-drawer').getByTestId('tagflow-panel');
    await expect(panel).toHaveAttribute('data-image-id', String(imageId));
    await expect(panel.getByTestId('tagflow-tag-source:institution')).toContainText('Demo Hospital');
    await expect(panel.getByTestId('tagflow-tag-source:modality')).toContainText('OT');
    await expect(panel.getByTestId('tagflow-group-dataset').locator('[data-testid^="tagflow-tag-dataset:"]')).toHaveCount(1);
    // Ops reads images, not test results: the test group says so instead of listing runs.
    await expect(panel.getByTestId('tagflow-group-test')).not.toContainText('DemoNet');
    await expect(panel.getByTestId('tagflow-group-labeling')).toContainText('demo-ground-truth.csv');

    // Follow the dataset tag: exactly the images of that dataset version.
    await panel.getByTestId(`tagflow-tag-dataset:${testSet.id}:v${testSet.version}`).click();
    const list = panel.getByTestId('tagflow-list');
    await expect(list).toBeVisible();
    await expect(list.getByTestId('tagflow-list-count')).toHaveAttribute('data-total', String(members.length));
    await expect(list.locator('[data-image-id]')).toHaveCount(members.length);
    expect(await tileIds(page)).toEqual(members);
    await expect(list.locator('img.tagflow-thumb').first()).toHaveAttribute('src', /^blob:/);

    // Clicking one of them shows that image's tags; back returns to the first.
    await list.locator(`[data-image-id="${other}"]`).click();
    await expect(panel).toHaveAttribute('data-image-id', String(other));
    await expect(panel.getByTestId(`tagflow-tag-dataset:${testSet.id}:v${testSet.version}`)).toBeVisible();
    await expect(panel.getByTestId('tagflow-list')).toHaveCount(0);
    await panel.getByTestId('tagflow-back').click();
    await expect(panel).toHaveAttribute('data-image-id', String(imageId));

    // Follow the institution: every image imported with it (all 36 demo studies).
    await panel.getByTestId('tagflow-tag-source:institution').click();
    await expect(panel.getByTestId('tagflow-list-count')).toHaveAttribute('data-total', '36');

    await page.getByTestId('tagflow-drawer-close').click();
    await expect(page.getByTestId('tagflow-drawer')).toHaveCount(0);

    // Every tag read was a PHI read by ops, in the audit log.
    const reads = db.prepare("SELECT action, actor_name FROM audit_log WHERE action IN ('tags:forImage', 'tags:images') AND outcome = 0 ORDER BY id").all() as { action: string; actor_name: string }[];
    expect(reads.filter((r) => r.action === 'tags:forImage').length).toBeGreaterThanOrEqual(3);
    expect(reads.filter((r) => r.action === 'tags:images').length).toBeGreaterThanOrEqual(2);
    expect(new Set(reads.map((r) => r.actor_name))).toEqual(new Set(['ops']));
  });
});
