import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seedAndLogin, tempDir, testApp } from '../../../test/helpers/workspace';
import type { App } from '../app';
import type { Sender } from '../ipc/sender';
import { BlobStore } from '../storage/blob-store';
import { readManifest } from './backup';
import { BackupService, type Commit } from './backup-service';
import { readChecksState, readIntegrity, readVerifications, readVerifyCursor } from './backup-settings';
import { checkDatabaseIntegrity } from './integrity';
import { DB_FILE, fileLocation } from './manifest';
import type { Timer } from './scheduler';
import { addBlobs, flipByte } from './test-support/fixtures';

// Scheduled checks (issue 8, items 4 and 6): a full integrity_check of the workspace database
// and a rotating-sample verification of the newest backups, each on its own cron schedule.
// Both run in out/main/backup-worker.js: build first (npm run build).

let app: App;
let cleanup: () => void;
let outside: { dir: string; cleanup: () => void };
let ops: Sender;
let dest: string;
// Saturday 21 November 2026, 10:00 local time: the weekly check is due on Sunday 04:00.
const clock = new FakeClock(new Date(2026, 10, 21, 10, 0).getTime());
const timers: (() => void)[] = [];
const timer: Timer = { setTimeout: (fn) => timers.push(fn), clearTimeout: () => undefined };
let service: BackupService;

const commit: Commit = (_object, fn) => app.services.db.transaction(() => fn(app.services.db)).immediate();

/** Runs the schedulers' pending wake-ups (each schedules its next one). */
function wake(): void {
  for (const fn of timers.splice(0)) fn();
}

/** A copy of a database whose index no longer matches its table: quick_check passes, integrity_check does not. */
function indexMismatch(file: string): void {
  const db = new Database(file);
  db.exec('CREATE TABLE t (a INTEGER, b INTEGER); CREATE INDEX t_a ON t (a);');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
  for (let i = 0; i < 50; i++) insert.run(i, (i * 7) % 13);
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  db.prepare("UPDATE sqlite_schema SET sql = 'CREATE INDEX t_a ON t (b)' WHERE name = 't_a'").run();
  db.pragma('writable_schema = OFF');
  db.close();
}

beforeAll(async () => {
  ({ app, cleanup } = testApp({ clock }));
  outside = tempDir('midc-backup-checks-');
  dest = path.join(outside.dir, 'raid2');
  fs.mkdirSync(dest);
  ({ olga: ops } = await seedAndLogin(app, { olga: ['ops'] }));
  addBlobs(new BlobStore(app.services.workspace.storageDir), 10, 4096);
  // No backup schedules: only the checks fire here.
  const saved = await app.dispatch(ops, 'backup:setConfig', {
    config: { destinations: [{ path: dest }], schedules: [], retention: { daily: 5, weekly: 0, monthly: 0 }, verifySample: 3 },
  });
  if (!saved.ok) throw new Error(saved.error.message);
  service = new BackupService({ ...app.services, timer });
});
afterAll(async () => {
  service.stopScheduler();
  await service.checksIdle();
  cleanup();
  outside.cleanup();
});

describe('the full integrity check of the database', () => {
  it('finds an index that does not match its table, which the start-up quick_check misses', () => {
    const file = path.join(outside.dir, 'damaged.sqlite');
    indexMismatch(file);
    const quick = new Database(file, { readonly: true });
    expect(quick.pragma('quick_check', { simple: true })).toBe('ok');
    quick.close();
    const report = checkDatabaseIntegrity(file);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/missing from index t_a/);
    expect(checkDatabaseIntegrity(app.services.workspace.dbFile)).toMatchObject({ ok: true, problems: [] });
    expect(checkDatabaseIntegrity(path.join(outside.dir, 'none.sqlite'))).toMatchObject({ ok: false, problems: [expect.stringMatching(/none\.sqlite cannot be checked/)] });
  });

  it('runs weekly by default (Sundays 04:00), off the main thread, and its result is on the health view', async () => {
    expect(service.config().config.checks).toEqual({ integrity: { cron: '0 4 * * 0', enabled: true }, verify: { cron: '0 5 * * *', enabled: true } });
    service.startScheduler();
    await service.checksIdle();
    // Nothing due yet: the configuration was saved on Saturday.
    expect(readIntegrity(app.services.db)).toBeNull();
    const before = service.health();
    expect(before.integrity).toBeNull();
    expect(before.nextChecks.integrity).toBe(new Date(2026, 10, 22, 4, 0).toISOString());

    clock.advance(18 * 3_600_000 + 30_000); // Sunday 04:00:30
    wake();
    await service.checksIdle();
    const record = readIntegrity(app.services.db);
    expect(record).toMatchObject({ ok: true, problems: [], at: new Date(clock.now()).toISOString() });
    expect(readChecksState(app.services.db).integrity).toBe(new Date(clock.now()).toISOString());
    const health = service.health();
    expect(health.integrity).toEqual(record);
    expect(health.reasons.map((r) => r.key)).not.toContain('integrityCheckFailed');
    expect(health.nextChecks.integrity).toBe(new Date(2026, 10, 29, 4, 0).toISOString());
    const audited = app.services.db.prepare("SELECT actor_name, details FROM audit_log WHERE object_type = 'database' ORDER BY id DESC LIMIT 1").get() as { actor_name: string; details: string };
    expect(audited.actor_name).toBe('scheduler');
    expect(JSON.parse(audited.details)).toMatchObject({ integrityCheck: true });
  });

  it('makes the health critical when it fails, naming the problem', async () => {
    const file = path.join(outside.dir, 'damaged-2.sqlite');
    indexMismatch(file);
    const damaged = new BackupService({ ...app.services, workspace: { ...app.services.workspace, dbFile: file } });
    const view = await damaged.checkIntegrity(commit);
    expect(view.ok).toBe(false);
    const health = damaged.health();
    expect(health.status).toBe('critical');
    const reason = health.reasons.find((r) => r.key === 'integrityCheckFailed');
    expect(reason).toMatchObject({ level: 'critical', message: expect.stringMatching(/missing from index t_a/) });
    // The next passing check clears it.
    await service.checkIntegrity(commit);
    expect(service.health().reasons.map((r) => r.key)).not.toContain('integrityCheckFailed');
  });
});

describe('the scheduled verification of the newest backup', () => {
  it('re-hashes a rotating sample of its blobs every day at 05:00 and records it', async () => {
    const run = await service.runNow(dest, commit);
    expect(run.verification).toMatchObject({ ok: true, mode: 'sample' });
    expect(readVerifyCursor(app.services.db, dest)).toBe(3);

    clock.advance(60 * 60_000); // Sunday 05:00:30
    wake();
    await service.checksIdle();
    expect(readChecksState(app.services.db).verify).toBe(new Date(clock.now()).toISOString());
    expect(readVerifications(app.services.db)[run.path]).toMatchObject({ ok: true, mode: 'sample', at: new Date(clock.now()).toISOString() });
    // The sample moved on: the next check hashes the next three blobs.
    expect(readVerifyCursor(app.services.db, dest)).toBe(6);
    expect(service.health().newestVerified?.id).toBe(run.id);
  });

  it('catches a damaged blob of the backup when the sample reaches it, and the backup stops counting as verified', async () => {
    const loaded = readManifest(path.join(dest, (await service.runNow(dest, commit)).id));
    if (!loaded.ok) throw new Error(loaded.error);
    const blobs = loaded.manifest.files.filter((f) => f.path !== DB_FILE);
    const cursor = readVerifyCursor(app.services.db, dest);
    const victim = blobs[cursor % blobs.length]!;
    const backupPath = path.join(dest, loaded.manifest.id);
    flipByte(fileLocation(backupPath, loaded.manifest, victim), 10);

    const [result] = await service.verifyNewest();
    expect(result).toMatchObject({ path: backupPath, ok: false, mode: 'sample' });
    expect(readVerifications(app.services.db)[backupPath]).toMatchObject({ ok: false, mode: 'sample' });
    // The damaged pool blob is referenced by the earlier backup too (one pool per root), so no
    // verified backup is left, and the health says so loudly.
    const health = service.health();
    expect(health.newestVerified?.id).not.toBe(loaded.manifest.id);
    expect(health.status).toBe('critical');
  });
});
