import fs from 'node:fs';
import path from 'node:path';
import { built } from '../../../../test/helpers/built';
import { sender, tempDir, testApp } from '../../../../test/helpers/workspace';
import type { App } from '../../app';
import { hashPassword } from '../../auth/password';
import { insertUser, setRoles } from '../../auth/users-repository';
import { importPaths } from '../../ingest/ingest-service';
import type { Role } from '../../../shared/roles';

export type Window = ReturnType<typeof sender>;

/** An app with one logged-in window per role the evaluation tests need. */
export interface World {
  readonly app: App;
  readonly engineer: Window;
  readonly admin: Window;
  readonly expert: Window;
  readonly ops: Window;
  readonly files: string;
  ok<T = Record<string, unknown>>(who: Window, channel: string, payload: unknown): Promise<T>;
  /** Writes a file into the temp folder and returns its path. */
  file(name: string, text: string): string;
  importFiles(paths: string[]): Promise<void>;
  /** Image id by original file name. */
  imageId(name: string): number;
  cleanup(): void;
}

export async function createWorld(): Promise<World> {
  const { app, cleanup } = testApp();
  const scratch = tempDir('midc-eval-');
  const hash = await hashPassword('password one');
  const db = app.services.db;
  const people: [string, Role[]][] = [
    ['eve', ['algo_engineer']],
    ['alan', ['algo_admin']],
    ['erin', ['expert']],
    ['oskar', ['ops']],
  ];
  db.transaction(() => {
    for (const [username, roles] of people) setRoles(db, insertUser(db, { username, displayName: username, passwordHash: hash, createdAt: 't' }), roles);
  })();
  const windows = people.map(([username]) => sender(`w-${username}`));
  for (const [i, [username]] of people.entries()) {
    const r = await app.dispatch(windows[i] as Window, 'auth:login', { username, password: 'password one' });
    if (!r.ok) throw new Error(`login ${username}: ${r.error.message}`);
  }
  const [engineer, admin, expert, ops] = windows as [Window, Window, Window, Window];
  return {
    app,
    engineer,
    admin,
    expert,
    ops,
    files: scratch.dir,
    async ok<T>(who: Window, channel: string, payload: unknown): Promise<T> {
      const r = await app.dispatch(who, channel, payload);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.details ?? null).slice(0, 2000)}`);
      return r.value as T;
    },
    file(name, text) {
      const p = path.join(scratch.dir, name);
      fs.writeFileSync(p, text);
      return p;
    },
    async importFiles(paths) {
      await importPaths(app.services, paths, { actor: { id: null, name: 'test' }, workerFile: built('ingest-worker.js') });
    },
    imageId(name) {
      const row = db.prepare('SELECT id FROM images WHERE original_name = ? ORDER BY id LIMIT 1').get(name) as { id: number } | undefined;
      if (!row) throw new Error(`no image ${name}`);
      return row.id;
    },
    cleanup() {
      cleanup();
      scratch.cleanup();
    },
  };
}
