/**
 * Issue 5 item 1 (the UI): the algorithm admin maintains the registries, and the database's
 * rules come back to the screen as they are: a parameter is created, its range widened, an
 * attempt to narrow it is refused by the database ("only be widened"), and a parameter and an
 * option are disabled together in one action. An engineer sees the registries read-only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/main/cli/run';
import { expect, launchInTemp, test, type TempHost } from './fixtures';
import { login } from './session';

test.describe.configure({ timeout: 180_000 });

test.describe('registries', () => {
  let host: TempHost;
  let dir: string;

  test.beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-e2e-registries-'));
    let err = '';
    const code = await runCli(['init', '--demo', '--workspace', dir, '--json'], { stdout: () => undefined, stderr: (t) => void (err += t) });
    if (code !== 0) throw new Error(`midc init --demo failed (${code}): ${err}`);
    host = await launchInTemp({ workspaceDir: dir });
  });
  test.afterEach(async () => {
    await host?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the algorithm admin creates a parameter, widens it, cannot narrow it, and disables a parameter and an option at once', async () => {
    const { page } = host;
    const db = host.app.services.db;
    await login(page, 'algoadmin');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-registries').click();
    await page.getByTestId('registries-tab-parameters').click();
    await expect(page.getByTestId('params-grid')).toContainText('epochs');

    // Create: learning rate in [0.001, 0.1].
    await page.getByTestId('param-create-name').fill('learning_rate');
    await page.getByTestId('param-create-type').selectOption('number');
    await page.getByTestId('param-create-min').fill('0.001');
    await page.getByTestId('param-create-max').fill('0.1');
    await page.getByTestId('param-create-submit').click();
    await expect(page.getByTestId('param-create-done')).toContainText('learning_rate');
    const created = db.prepare("SELECT id, min_value AS lo, max_value AS hi FROM algorithm_parameters WHERE name = 'learning_rate'").get() as { id: number; lo: number; hi: number };
    expect(created).toMatchObject({ lo: 0.001, hi: 0.1 });

    // Widen to [0.0001, 1].
    await page.getByTestId('params-grid').locator(`.ag-row[row-id="p${created.id}"]`).click();
    await expect(page.getByTestId('param-widen-form')).toBeVisible();
    await page.getByTestId('param-widen-min').fill('0.0001');
    await page.getByTestId('param-widen-max').fill('1');
    await page.getByTestId('param-widen-submit').click();
    await expect(page.getByTestId('param-widen-done')).toBeVisible();
    expect(db.prepare('SELECT min_value AS lo, max_value AS hi FROM algorithm_parameters WHERE id = ?').get(created.id)).toEqual({ lo: 0.0001, hi: 1 });

    // Narrow the minimum: the database refuses, and says so on the screen.
    await page.getByTestId('param-widen-min').fill('0.01');
    await page.getByTestId('param-widen-submit').click();
    const refusal = page.getByTestId('param-widen-error');
    await expect(refusal).toHaveAttribute('data-code', 'CONFLICT');
    await expect(refusal).toContainText('only be widened');
    expect(db.prepare('SELECT min_value AS lo, max_value AS hi FROM algorithm_parameters WHERE id = ?').get(created.id)).toEqual({ lo: 0.0001, hi: 1 });

    // One action disables the parameter and an option of another parameter.
    const sgd = db.prepare("SELECT o.id FROM parameter_options o JOIN algorithm_parameters p ON p.id = o.parameter_id WHERE p.name = 'optimizer' AND o.value = 'sgd'").get() as { id: number };
    const grid = page.getByTestId('params-grid');
    // The row was clicked above (selected); the option row is added to the selection.
    await grid.locator(`.ag-row[row-id="o${sgd.id}"] .ag-selection-checkbox input`).check();
    await expect(page.getByTestId('params-selected-count')).toContainText('2');
    await page.getByTestId('params-disable').click();
    await expect(page.getByTestId('params-toggle-done')).toContainText('1 parameters and 1 options');
    expect((db.prepare('SELECT disabled FROM algorithm_parameters WHERE id = ?').get(created.id) as { disabled: number }).disabled).toBe(1);
    expect((db.prepare('SELECT disabled FROM parameter_options WHERE id = ?').get(sgd.id) as { disabled: number }).disabled).toBe(1);

    // Standards have no edit; the disabled button says why.
    await page.getByTestId('registries-tab-standards').click();
    await expect(page.getByTestId('standards-no-edit')).toHaveAttribute('title', /cannot be edited/);
  });

  test('an engineer sees the registries read-only', async () => {
    const { page } = host;
    await login(page, 'engineer');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-registries').click();
    await expect(page.getByTestId('models-grid')).toContainText('DemoNet');
    await expect(page.getByTestId('model-create-form')).toHaveCount(0);
    await page.getByTestId('registries-tab-parameters').click();
    await expect(page.getByTestId('param-create-form')).toHaveCount(0);
    await expect(page.getByTestId('params-disable')).toHaveCount(0);
  });

  test('the algorithm admin creates and renames a model, creates and disables a standard, and records a preset', async () => {
    const { page } = host;
    const db = host.app.services.db;
    await login(page, 'algoadmin');
    await page.getByTestId('nav-results').click();
    await page.getByTestId('results-tab-registries').click();

    await page.getByTestId('model-create-name').fill('NoduleNet');
    await page.getByTestId('model-create-task').selectOption('detection');
    await page.getByTestId('model-create-summary').fill('Lesion detector');
    await page.getByTestId('model-create-submit').click();
    await expect(page.getByTestId('model-create-done')).toContainText('NoduleNet');
    const model = db.prepare("SELECT id, task FROM models WHERE name = 'NoduleNet'").get() as { id: number; task: string };
    expect(model.task).toBe('detection');
    await page.getByTestId('models-grid').locator(`.ag-row[row-id="${model.id}"]`).click();
    await page.getByTestId('model-edit-name').fill('NoduleNet 2');
    await page.getByTestId('model-edit-submit').click();
    await expect(page.getByTestId('model-edit-done')).toBeVisible();
    expect((db.prepare('SELECT name FROM models WHERE id = ?').get(model.id) as { name: string }).name).toBe('NoduleNet 2');
    // A name taken by another model is refused by the database and shown.
    await page.getByTestId('model-edit-name').fill('DemoNet');
    await page.getByTestId('model-edit-submit').click();
    await expect(page.getByTestId('model-edit-error')).toHaveAttribute('data-code', 'CONFLICT');

    await page.getByTestId('registries-tab-standards').click();
    await page.getByTestId('standard-create-name').fill('Benign precision ≥ 0.9');
    await page.getByTestId('standard-create-metric').selectOption('precision');
    await page.getByTestId('standard-create-class').fill('benign');
    await page.getByTestId('standard-create-threshold').fill('0.9');
    await page.getByTestId('standard-create-submit').click();
    await expect(page.getByTestId('standard-create-done')).toBeVisible();
    const standard = db.prepare("SELECT id FROM test_standards WHERE name = 'Benign precision ≥ 0.9'").get() as { id: number };
    await page.getByTestId('standards-grid').locator(`.ag-row[row-id="${standard.id}"] .ag-selection-checkbox input`).check();
    await page.getByTestId('standards-disable').click();
    await expect(page.getByTestId('standards-disable-done')).toBeVisible();
    expect((db.prepare('SELECT disabled_at FROM test_standards WHERE id = ?').get(standard.id) as { disabled_at: string | null }).disabled_at).not.toBeNull();

    await page.getByTestId('registries-tab-presets').click();
    await page.getByTestId('preset-create-name').fill('Long adam');
    await page.getByTestId('preset-value-epochs').fill('200');
    await page.getByTestId('preset-value-optimizer').selectOption('adam');
    await page.getByTestId('preset-create-submit').click();
    await expect(page.getByTestId('preset-create-done')).toBeVisible();
    await expect(page.getByTestId('presets-grid')).toContainText('epochs=200, optimizer=adam');
  });
});
