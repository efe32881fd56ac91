/**
 * Issue 2 acceptance: accounts on a shared kiosk. First start creates the administrator, who
 * creates the others; each person sees only their modules; the screen locks after the idle
 * time; everything is in the database and the audit trail.
 */
import type { Page } from '@playwright/test';
import type { MidcApi } from '../../src/shared/contract/api';
import { expect, test } from './fixtures';
import { login } from './session';

const ADMIN = { username: 'root', displayName: 'Rita Root', password: 'admin-password-1' };
const ANNOTATOR = { username: 'anna', displayName: 'Anna Annotator', password: 'annotator-pass-1', roles: ['annotator'] };
const ENGINEER = { username: 'eric', displayName: 'Eric Engineer', password: 'engineer-pass-1', roles: ['algo_engineer'] };

/** The default idle time of a new workspace (src/main/auth/settings.ts). */
const IDLE_MINUTES = 10;

// scrypt at N=2^17 costs ~0.3 s per hash or check, and a test makes about ten of them.
test.describe.configure({ timeout: 120_000 });

async function createUser(page: Page, user: { username: string; displayName: string; password: string; roles: string[] }) {
  await page.getByTestId('user-create-username').fill(user.username);
  await page.getByTestId('user-create-displayName').fill(user.displayName);
  await page.getByTestId('user-create-password').fill(user.password);
  for (const role of user.roles) await page.getByTestId(`user-create-role-${role}`).check();
  await page.getByTestId('user-create-submit').click();
  await expect(page.getByTestId('user-create-done')).toContainText(user.username, { timeout: 15_000 });
}

test('the admin creates accounts, the annotator sees only their modules and is locked after the idle time', async ({ midc }) => {
  const { page } = midc;
  // Fake timers from the first screen on, so that the idle lock can be fast-forwarded; the
  // clock still runs at normal speed until then. The app has to load again to pick it up.
  await page.clock.install();
  await page.reload();

  // First start: no user exists, so the administrator is created (there is no default password).
  await expect(page.getByTestId('auth-setup')).toBeVisible();
  await page.getByTestId('setup-username').fill(ADMIN.username);
  await page.getByTestId('setup-displayName').fill(ADMIN.displayName);
  await page.getByTestId('setup-password').fill(ADMIN.password);
  await page.getByTestId('setup-confirm').fill(ADMIN.password);
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('shell')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('header-user-name')).toHaveText(ADMIN.displayName);
  await expect(page.getByTestId('nav-admin')).toBeVisible();

  // The Users screen: the grid (ag-grid under the CSP nonce) lists the admin, then the new users.
  await page.getByTestId('nav-admin').click();
  await expect(page.getByTestId('users-grid').locator('.ag-row')).toHaveCount(1);
  await createUser(page, ANNOTATOR);
  await createUser(page, ENGINEER);
  await expect(page.getByTestId('users-grid').locator('.ag-row')).toHaveCount(3);
  await expect(page.getByTestId('users-grid')).toContainText(ANNOTATOR.displayName);

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-notice')).toHaveAttribute('data-kind', 'loggedOut');

  // The annotator is offered the Inbox and the Workspace, nothing else.
  await login(page, ANNOTATOR.username, ANNOTATOR.password);
  await expect(page.getByTestId('header-user-name')).toHaveText(ANNOTATOR.displayName);
  await expect(page.getByTestId('nav-inbox')).toBeVisible();
  await expect(page.getByTestId('nav-workspace')).toBeVisible();
  await expect(page.getByTestId('nav').locator('[data-testid^="nav-"]')).toHaveCount(2);
  await expect(page.getByTestId('nav-admin')).toHaveCount(0);
  await expect(page.getByTestId('module-inbox')).toBeVisible();

  // Nobody touches the kiosk for longer than the idle time: back to the login screen.
  await page.clock.fastForward((IDLE_MINUTES + 1) * 60_000);
  await expect(page.getByTestId('login-notice')).toHaveText(
    `Locked after ${IDLE_MINUTES} minutes of inactivity. Log in again to continue.`,
  );
  await expect(page.getByTestId('shell')).toHaveCount(0);
  await expect(page.getByTestId('login-username')).toHaveValue(ANNOTATOR.username);

  // Logging in again works.
  await login(page, ANNOTATOR.username, ANNOTATOR.password);
  await expect(page.getByTestId('nav-inbox')).toBeVisible();

  // The database agrees with the screen.
  const db = midc.app.services.db;
  const users = db
    .prepare(
      `SELECT u.username, u.display_name AS displayName, group_concat(r.role) AS roles
       FROM users u LEFT JOIN user_roles r ON r.user_id = u.id GROUP BY u.id ORDER BY u.id`,
    )
    .all();
  expect(users).toEqual([
    { username: ADMIN.username, displayName: ADMIN.displayName, roles: 'admin' },
    { username: ANNOTATOR.username, displayName: ANNOTATOR.displayName, roles: 'annotator' },
    { username: ENGINEER.username, displayName: ENGINEER.displayName, roles: 'algo_engineer' },
  ]);

  const audit = db.prepare('SELECT action, actor_name AS actor, outcome, details FROM audit_log ORDER BY id').all() as {
    action: string;
    actor: string | null;
    outcome: number;
    details: string;
  }[];
  const logins = audit.filter((a) => a.action === 'auth:login' && a.outcome === 0);
  expect(logins.map((a) => a.actor)).toEqual([ANNOTATOR.username, ANNOTATOR.username]);
  const logouts = audit.filter((a) => a.action === 'auth:logout');
  expect(logouts.map((a) => [a.actor, JSON.parse(a.details)])).toEqual([
    [ADMIN.username, { reason: 'logout' }],
    [ANNOTATOR.username, { reason: 'idle' }],
  ]);
  expect(audit.filter((a) => a.action === 'users:create' && a.outcome === 0)).toHaveLength(2);
  // Nothing the page did was blocked by the CSP (ag-grid's styles carry the nonce).
  expect(audit.filter((a) => a.action === 'system:reportBlocked')).toEqual([]);
  expect(midc.blocked).toEqual([]);
});

test('the language switch shows Chinese and survives a reload', async ({ midc }) => {
  const { page } = midc;
  // An administrator exists and nobody is logged in: the login screen shows.
  await page.evaluate(async (admin) => {
    const api = (globalThis as unknown as { api: MidcApi }).api;
    const created = await api.setup.createAdmin(admin);
    if (!created.ok) throw new Error(created.error.message);
    await api.auth.logout({ reason: 'logout' });
  }, ADMIN);
  await page.reload();
  await expect(page.getByTestId('login-submit')).toHaveText('Log in');

  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('login-submit')).toHaveText('登录');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  await page.reload();
  await expect(page.getByTestId('login-submit')).toHaveText('登录');
  expect(await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('midc.lang'))).toBe('zh-CN');

  // The choice also carries into the shell, and back to English.
  await login(page, ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('nav-admin')).toHaveText('系统管理');
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('nav-admin')).toHaveText('Admin');
});
