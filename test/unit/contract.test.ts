/**
 * Contract tests generated from the contract (HOUSE-STYLE 20): every channel refuses a
 * malformed payload (VALIDATION) and a caller without the role (FORBIDDEN) or without a
 * session (UNAUTHENTICATED), with no side effect and exactly one audit row per refusal.
 * A channel added to the contract is covered here without touching this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, contract, type ChannelName } from '../../src/shared/contract';
import { ROLES, type Role } from '../../src/shared/roles';
import type { App } from '../../src/main/app';
import { hashPassword } from '../../src/main/auth/password';
import { insertUser, setRoles } from '../../src/main/auth/users-repository';
import { sender, testApp } from '../helpers/workspace';

let app: App;
let cleanup: () => void;
const PASSWORD = 'correct horse battery';

/** Every table's content except the audit log: "no side effect" means this does not change. */
function stateFingerprint(): string {
  const db = app.services.db;
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'sqlite_sequence')").all() as {
      name: string;
    }[]
  ).map((t) => t.name);
  return JSON.stringify(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all()]));
}

function auditCount(): number {
  return (app.services.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
}

function lastAudit(): { action: string; outcome: number; actor_name: string | null } {
  return app.services.db.prepare('SELECT action, outcome, actor_name FROM audit_log ORDER BY id DESC LIMIT 1').get() as never;
}

const windows = new Map<string, ReturnType<typeof sender>>();

/** A window logged in as `name` (holding exactly `roles`); logged in once and reused (scrypt is slow on purpose). */
async function loginAs(roles: readonly Role[], name: string): Promise<ReturnType<typeof sender>> {
  const known = windows.get(name);
  if (known && app.services.sessions.get(known.id)) return known;
  const who = sender(`window-${name}`);
  const result = await app.dispatch(who, 'auth:login', { username: name, password: PASSWORD });
  if (!result.ok) throw new Error(`login ${name}: ${result.error.message}`);
  expect(result.value).toMatchObject({ roles: [...roles].sort() });
  windows.set(name, who);
  return who;
}

beforeAll(async () => {
  ({ app, cleanup } = testApp());
  const hash = await hashPassword(PASSWORD);
  const db = app.services.db;
  db.transaction(() => {
    for (const role of ROLES) {
      const id = insertUser(db, { username: `only-${role}`, displayName: role, passwordHash: hash, createdAt: 'now' });
      setRoles(db, id, [role]);
    }
    const id = insertUser(db, { username: 'nobody', displayName: 'No roles', passwordHash: hash, createdAt: 'now' });
    setRoles(db, id, []);
  })();
});

afterAll(() => cleanup());

/** A payload no strict request schema accepts. */
const MALFORMED: unknown[] = [42, 'x', null, [], { __proto__: null, unexpected: true }];

describe.each(channelNames.map((name) => [name] as const))('channel %s', (name: ChannelName) => {
  const def = contract[name];

  it('refuses malformed payloads from an allowed caller with VALIDATION, audited, no side effect', async () => {
    const allowedRole: Role | null = Array.isArray(def.access) ? (def.access[0] as Role) : null;
    const who =
      def.access === 'public' ? sender(`anon-${name}`) : await loginAs(allowedRole ? [allowedRole] : [], allowedRole ? `only-${allowedRole}` : 'nobody');
    for (const payload of MALFORMED) {
      const before = stateFingerprint();
      const audits = auditCount();
      const result = await app.dispatch(who, name, payload);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('VALIDATION');
      expect(stateFingerprint()).toBe(before);
      expect(auditCount()).toBe(audits + 1);
      expect(lastAudit()).toMatchObject({ action: name, outcome: 4 });
    }
  });

  if (def.access !== 'public') {
    it('refuses a caller without a session with UNAUTHENTICATED, audited, no side effect', async () => {
      const before = stateFingerprint();
      const audits = auditCount();
      const result = await app.dispatch(sender(`nobody-logged-in-${name}`), name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      expect(stateFingerprint()).toBe(before);
      expect(auditCount()).toBe(audits + 1);
      expect(lastAudit()).toMatchObject({ action: name, outcome: 8 });
    });
  }

  const access = def.access;
  if (Array.isArray(access)) {
    const denied = ROLES.filter((r) => !(access as readonly Role[]).includes(r));
    it.each(denied.map((r) => [r] as const))('refuses a caller holding only %s with FORBIDDEN, audited, no side effect', async (role) => {
      const who = await loginAs([role], `only-${role}`);
      const before = stateFingerprint();
      const audits = auditCount();
      const result = await app.dispatch(who, name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(stateFingerprint()).toBe(before);
      expect(auditCount()).toBe(audits + 1);
      expect(lastAudit()).toMatchObject({ action: name, outcome: 8, actor_name: `only-${role}` });
    });
  }
});

describe('the registry', () => {
  it('refuses calls from a foreign origin or a sub-frame before looking at them', async () => {
    for (const who of [
      { id: 'evil', origin: 'https://evil.example', isMainFrame: true },
      { id: 'frame', origin: 'https://midc.invalid', isMainFrame: false },
      { id: 'gone', origin: null, isMainFrame: true },
      { id: 'lookalike', origin: 'https://midc.invalid.evil.example', isMainFrame: true },
    ]) {
      const audits = auditCount();
      const result = await app.dispatch(who, 'auth:status', {});
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(auditCount()).toBe(audits + 1);
    }
  });

  it('refuses an unknown channel with VALIDATION', async () => {
    const result = await app.dispatch(sender('w'), 'users:dropAll', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('never lets a prototype-chain name through as a channel', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const result = await app.dispatch(sender('w'), name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });
});
