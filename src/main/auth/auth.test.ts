import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, sender, testApp } from '../../../test/helpers/workspace';
import type { App } from '../app';
import { hashPassword, verifyPassword, SCRYPT_POLICY } from './password';
import { LOCK_MINUTES, MAX_FAILED_LOGINS } from './handlers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(clock = new FakeClock()): { app: App; clock: FakeClock } {
  const t = testApp({ clock });
  cleanups.push(t.cleanup);
  return { app: t.app, clock };
}

const ADMIN = { username: 'root-admin', displayName: 'Root Admin', password: 'first admin password' };
const ADMIN_LOGIN = { username: ADMIN.username, password: ADMIN.password };

async function call(app: App, who: string, channel: string, payload: unknown) {
  return app.dispatch(sender(who), channel, payload);
}

function audits(app: App, action: string): { outcome: number; details: string; actor_name: string | null }[] {
  return app.services.db.prepare('SELECT outcome, details, actor_name FROM audit_log WHERE action = ? ORDER BY id').all(action) as never;
}

describe('first start', () => {
  it('asks for an administrator, creates it once, logs it in, and refuses a second setup', async () => {
    const { app } = setup();
    expect(await call(app, 'w1', 'auth:status', {})).toEqual({ ok: true, value: { setupRequired: true, session: null } });
    const created = await call(app, 'w1', 'setup:createAdmin', ADMIN);
    expect(created).toMatchObject({ ok: true, value: { username: 'root-admin', roles: ['admin'], idleMinutes: 10 } });
    expect(await call(app, 'w1', 'auth:status', {})).toMatchObject({ value: { setupRequired: false, session: { username: 'root-admin' } } });
    const again = await call(app, 'w2', 'setup:createAdmin', { ...ADMIN, username: 'intruder' });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(audits(app, 'setup:createAdmin').map((a) => a.outcome)).toEqual([0, 8]);
  });
});

describe('login', () => {
  it('locks an account after five wrong passwords, audits each try, and unlocks after the lock time', async () => {
    const { app, clock } = setup();
    await call(app, 'admin', 'setup:createAdmin', ADMIN);
    for (let i = 1; i <= MAX_FAILED_LOGINS; i++) {
      const r = await call(app, 'kiosk', 'auth:login', { username: ADMIN.username, password: `wrong ${i}` });
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    const locked = await call(app, 'kiosk', 'auth:login', ADMIN_LOGIN);
    expect(locked).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!locked.ok) expect(locked.error.message).toMatch(/locked until/);
    const failures = audits(app, 'auth:login').filter((a) => a.outcome !== 0);
    expect(failures).toHaveLength(MAX_FAILED_LOGINS + 1);
    expect(JSON.parse(failures[0]?.details ?? '{}')).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    clock.advance(LOCK_MINUTES * 60_000 + 1);
    expect(await call(app, 'kiosk', 'auth:login', ADMIN_LOGIN)).toMatchObject({ ok: true });
  });

  it('does not reveal whether a username exists', async () => {
    const { app } = setup();
    await call(app, 'admin', 'setup:createAdmin', ADMIN);
    const unknown = await call(app, 'k', 'auth:login', { username: 'ghost', password: 'whatever' });
    const wrong = await call(app, 'k', 'auth:login', { username: ADMIN.username, password: 'whatever' });
    expect(unknown.ok || wrong.ok).toBe(false);
    if (!unknown.ok && !wrong.ok) expect(unknown.error.message).toBe(wrong.error.message);
  });

  it('refuses a disabled account and ends its open sessions at once', async () => {
    const { app } = setup();
    await call(app, 'admin', 'setup:createAdmin', ADMIN);
    const created = await call(app, 'admin', 'users:create', { username: 'anna', displayName: 'Anna', password: 'annotator pw', roles: ['annotator'] });
    expect(created.ok).toBe(true);
    const ended: string[] = [];
    app.services.events.attach('anna-window', (event, payload) => ended.push(`${event}:${JSON.stringify(payload)}`));
    expect(await call(app, 'anna-window', 'auth:login', { username: 'anna', password: 'annotator pw' })).toMatchObject({ ok: true });
    const id = created.ok ? (created.value as { id: number }).id : 0;
    expect(await call(app, 'admin', 'users:setDisabled', { id, disabled: true })).toMatchObject({ ok: true });
    expect(ended).toEqual(['session:ended:{"reason":"disabled"}']);
    expect(await call(app, 'anna-window', 'auth:heartbeat', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await call(app, 'anna-window', 'auth:login', { username: 'anna', password: 'annotator pw' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('sessions', () => {
  it('end after the idle time, are audited as a timeout and tell the window', async () => {
    const { app, clock } = setup();
    await call(app, 'w', 'setup:createAdmin', ADMIN);
    const events: unknown[] = [];
    app.services.events.attach('w', (event, payload) => events.push([event, payload]));
    clock.advance(9 * 60_000);
    expect(await call(app, 'w', 'auth:heartbeat', {})).toMatchObject({ ok: true });
    clock.advance(10 * 60_000 + 1);
    expect(await call(app, 'w', 'users:list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(events).toEqual([['session:ended', { reason: 'idle' }]]);
    expect(audits(app, 'auth:timeout')).toHaveLength(1);
  });

  it('follow the idle time an admin sets', async () => {
    const { app, clock } = setup();
    await call(app, 'w', 'setup:createAdmin', ADMIN);
    expect(await call(app, 'w', 'settings:update', { idleMinutes: 2 })).toMatchObject({ ok: true, value: { idleMinutes: 2 } });
    clock.advance(2 * 60_000 + 1);
    expect(await call(app, 'w', 'auth:heartbeat', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('pick up role changes at once', async () => {
    const { app } = setup();
    await call(app, 'admin', 'setup:createAdmin', ADMIN);
    const created = await call(app, 'admin', 'users:create', { username: 'eve', displayName: 'Eve', password: 'engineer pw', roles: ['algo_engineer'] });
    await call(app, 'eve', 'auth:login', { username: 'eve', password: 'engineer pw' });
    expect(await call(app, 'eve', 'users:list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const id = created.ok ? (created.value as { id: number }).id : 0;
    await call(app, 'admin', 'users:update', { id, roles: ['algo_engineer', 'admin'] });
    expect(await call(app, 'eve', 'users:list', {})).toMatchObject({ ok: true });
  });

  it('record a logout with its reason', async () => {
    const { app } = setup();
    await call(app, 'w', 'setup:createAdmin', ADMIN);
    expect(await call(app, 'w', 'auth:logout', { reason: 'idle' })).toEqual({ ok: true, value: null });
    const rows = audits(app, 'auth:logout');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.details ?? '{}')).toEqual({ reason: 'idle' });
    expect(rows[0]?.actor_name).toBe(ADMIN.username);
  });
});

describe('administration guards', () => {
  it('never disables or demotes the last enabled administrator', async () => {
    const { app } = setup();
    const me = await call(app, 'admin', 'setup:createAdmin', ADMIN);
    const id = me.ok ? (me.value as { userId: number }).userId : 0;
    expect(await call(app, 'admin', 'users:update', { id, roles: ['ops'] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await call(app, 'admin', 'users:setDisabled', { id, disabled: true })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('refuses a username that is taken, whatever its case', async () => {
    const { app } = setup();
    await call(app, 'admin', 'setup:createAdmin', ADMIN);
    const dup = await call(app, 'admin', 'users:create', { username: 'ROOT-ADMIN', displayName: 'x', password: 'long enough', roles: [] });
    expect(dup).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('passwords', () => {
  it('are stored as scrypt with OWASP parameters and a per-user salt', async () => {
    const a = await hashPassword('same password');
    const b = await hashPassword('same password');
    expect(a).not.toBe(b);
    expect(a.split('$').slice(0, 4)).toEqual(['scrypt', String(SCRYPT_POLICY.N), '8', '1']);
    expect(Buffer.from(a.split('$')[4] ?? '', 'base64').length).toBeGreaterThanOrEqual(16);
    expect((await verifyPassword('same password', a)).ok).toBe(true);
    expect((await verifyPassword('same passwore', a)).ok).toBe(false);
  });

  it('below the policy are flagged for rehash on the next login', async () => {
    const weak = await hashPassword('old', { N: 2 ** 14, r: 8, p: 1 });
    expect(await verifyPassword('old', weak)).toEqual({ ok: true, needsRehash: true });
  });
});
