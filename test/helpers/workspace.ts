import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/main/app';
import type { Clock } from '../../src/main/auth/sessions';
import { hashPassword } from '../../src/main/auth/password';
import { insertUser, setRoles } from '../../src/main/auth/users-repository';
import type { Sender } from '../../src/main/ipc/sender';
import type { Role } from '../../src/shared/roles';

export const TEST_ORIGIN = 'https://midc.invalid';

/** A fresh temp folder, removed by the returned function. */
export function tempDir(prefix = 'midc-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export class FakeClock implements Clock {
  constructor(public t = Date.parse('2026-11-22T08:00:00.000Z')) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** An app on a temp workspace, as a host would compose it. */
export function testApp(options: { clock?: Clock } = {}): { app: App; dir: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const app = createApp({ workspaceDir: dir, host: 'chromium', appOrigin: TEST_ORIGIN, ...options });
  return {
    app,
    dir,
    cleanup: () => {
      app.close();
      cleanup();
    },
  };
}

/** A window of our origin; `id` distinguishes sessions. */
export function sender(id = 'window-1'): Sender {
  return { id, origin: TEST_ORIGIN, isMainFrame: true };
}

/** One shared password for test users: hashing it once keeps scrypt's cost (by design ~0.3 s) out of every test. */
export const TEST_PASSWORD = 'password one';

/**
 * Creates users with the given roles directly in the database and logs each one in from its
 * own window; returns the windows by username.
 */
export async function seedAndLogin<K extends string>(app: App, users: Record<K, readonly Role[]>): Promise<Record<K, Sender>> {
  const hash = await hashPassword(TEST_PASSWORD);
  const db = app.services.db;
  db.transaction(() => {
    for (const [username, roles] of Object.entries<readonly Role[]>(users)) {
      setRoles(db, insertUser(db, { username, displayName: username, passwordHash: hash, createdAt: new Date(0).toISOString() }), roles);
    }
  })();
  const windows = {} as Record<K, Sender>;
  for (const username of Object.keys(users) as K[]) {
    const who = sender(`window-${username}`);
    const result = await app.dispatch(who, 'auth:login', { username, password: TEST_PASSWORD });
    if (!result.ok) throw new Error(`login ${username}: ${result.error.message}`);
    windows[username] = who;
  }
  return windows;
}
