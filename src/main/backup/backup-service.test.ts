import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupConfigInput, BackupHealthView, BackupListView, BackupRunView, BackupStatusView, BackupVerifyView, RestoreDrillView } from '../../shared/contract/backup';
import { FakeClock, TEST_PASSWORD, seedAndLogin, tempDir, testApp } from '../../../test/helpers/workspace';
import type { App } from '../app';
import { verifyAuditChain } from '../audit/audit-log';
import type { Sender } from '../ipc/sender';
import { BlobStore } from '../storage/blob-store';
import { hashFileSync } from '../storage/durable-fs';
import { LOCK_FILE, listBackups, readManifest } from './backup';
import { BackupService } from './backup-service';
import { readRuns, readScheduleState } from './backup-settings';
import type { Timer } from './scheduler';
import { fileLocation } from './manifest';
import { addBlobs, flipByte } from './test-support/fixtures';

let app: App;
let cleanup: () => void;
let outside: { dir: string; cleanup: () => void };
let ops: Sender;
let admin: Sender;
let engineer: Sender;
let destA: string;
let destB: string;
const clock = new FakeClock(new Date(2026, 10, 22, 9, 0).getTime());
const events: [string, unknown][] = [];

async function call<T = unknown>(who: Sender, channel: string, payload: unknown): Promise<T> {
  const r = await app.dispatch(who, channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

/** Moves the fake clock; sessions time out when idle, so ops logs in again afterwards. */
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  const r = await app.dispatch(ops, 'auth:login', { username: 'olga', password: TEST_PASSWORD });
  if (!r.ok) throw new Error(`login: ${r.error.message}`);
}

/** Reasons that depend on where the test's temp folders are (all on one device here). */
const DEVICE_KEYS = ['sameDevice', 'destinationOnWorkspaceDevice'];
const reasonKeys = (h: BackupHealthView) => h.reasons.map((r) => r.key).filter((k) => !DEVICE_KEYS.includes(k));

async function refused(who: Sender, channel: string, payload: unknown): Promise<{ code: string; message: string }> {
  const r = await app.dispatch(who, channel, payload);
  if (r.ok) throw new Error(`${channel} was accepted`);
  return r.error;
}

const audits = (action: string) =>
  app.services.db.prepare('SELECT actor_name, object_type, object_id, outcome, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as {
    actor_name: string;
    object_type: string;
    object_id: string;
    outcome: number;
    details: string;
  }[];

const config = (over: Partial<BackupConfigInput> = {}): BackupConfigInput => ({
  destinations: [
    { path: destA, label: 'RAID 2' },
    { path: destB, label: 'USB', removable: true },
  ],
  schedules: [{ name: 'daily', cron: '0 2 * * *' }],
  retention: { daily: 3, weekly: 0, monthly: 0 },
  verifySample: 5,
  ...over,
});

beforeAll(async () => {
  ({ app, cleanup } = testApp({ clock }));
  outside = tempDir('midc-backup-dest-');
  destA = path.join(outside.dir, 'raid2');
  destB = path.join(outside.dir, 'usb');
  fs.mkdirSync(destA);
  fs.mkdirSync(destB);
  ({ olga: ops, adam: admin, eve: engineer } = await seedAndLogin(app, { olga: ['ops'], adam: ['admin'], eve: ['algo_engineer'] }));
  app.services.events.attach(ops.id, (event, payload) => events.push([event, payload]));
  addBlobs(new BlobStore(app.services.workspace.storageDir), 30);
});
afterAll(() => {
  cleanup();
  outside.cleanup();
});

describe('backup configuration through IPC', () => {
  it('starts from defaults and refuses a destination inside the workspace or missing, auditing the refusal', async () => {
    const initial = await call<{ config: { destinations: unknown[] }; updatedAt: string | null }>(ops, 'backup:config', {});
    expect(initial).toMatchObject({ updatedAt: null, config: { destinations: [], healthLimitHours: 24 } });

    const inside = await refused(ops, 'backup:setConfig', { config: config({ destinations: [{ path: path.join(app.services.workspace.root, 'storage') }] }) });
    expect(inside).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/inside the workspace/) });
    const missing = await refused(ops, 'backup:setConfig', { config: config({ destinations: [{ path: path.join(outside.dir, 'nope') }] }) });
    expect(missing).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/does not exist/) });
    const badCron = await refused(ops, 'backup:setConfig', { config: config({ schedules: [{ name: 'x', cron: '0 2 * *' }] }) });
    expect(badCron.code).toBe('VALIDATION');
    expect(audits('backup:setConfig').map((a) => a.outcome)).toEqual([4, 4, 4]);
  });

  it('saves a valid configuration, audited with what changed', async () => {
    const saved = await call<{ updatedAt: string; config: { destinations: { path: string; removable: boolean }[] } }>(ops, 'backup:setConfig', { config: config() });
    expect(saved.updatedAt).toBe(new Date(clock.now()).toISOString());
    expect(saved.config.destinations.map((d) => d.removable)).toEqual([false, true]);
    const [entry] = audits('backup:setConfig').filter((a) => a.outcome === 0);
    expect(entry).toMatchObject({ actor_name: 'olga', object_type: 'backup_config' });
    expect(JSON.parse(entry!.details)).toMatchObject({ destinations: [destA, destB] });
  });

  it('lets an admin read the health but not run or configure backups', async () => {
    await call(admin, 'backup:health', {});
    expect((await refused(admin, 'backup:runNow', { destination: destA })).code).toBe('FORBIDDEN');
    expect((await refused(admin, 'backup:config', {})).code).toBe('FORBIDDEN');
    expect((await refused(engineer, 'backup:health', {})).code).toBe('FORBIDDEN');
  });
});

describe('backups through IPC', () => {
  let first: BackupRunView;

  it('runs a backup now, sends progress to the caller, verifies it and audits it after the snapshot', async () => {
    const headBefore = verifyAuditChain(app.services.db).head;
    first = await call<BackupRunView>(ops, 'backup:runNow', { destination: destA });
    expect(first).toMatchObject({ destination: destA, files: 31, verification: { ok: true, mode: 'sample', problems: 0 }, pruned: [] });
    const phases = new Set(events.filter(([e]) => e === 'backup:progress').map(([, p]) => (p as { phase: string }).phase));
    expect([...phases]).toEqual(expect.arrayContaining(['database', 'blobs', 'finishing', 'verifying', 'pruning']));
    // The manifest holds the chain head of the snapshot: the backup's own entry came after.
    const manifest = readManifest(first.path);
    expect(manifest.ok && manifest.manifest.audit.head).toBe(headBefore);
    const entries = audits('backup:runNow').filter((a) => a.outcome === 0);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_name: 'olga', object_type: 'backup', object_id: first.id, outcome: 0 });
    expect(verifyAuditChain(app.services.db).ok).toBe(true);
  });

  it('refuses a destination that is not configured', async () => {
    expect(await refused(ops, 'backup:runNow', { destination: outside.dir })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists the history with size, files, duration and when each was verified', async () => {
    const list = await call<BackupListView>(ops, 'backup:list', { destination: destA });
    expect(list.present).toBe(true);
    expect(list.backups).toHaveLength(1);
    expect(list.backups[0]).toMatchObject({ id: first.id, files: 31, verifiedOk: true, verifyMode: 'sample', verifiedAt: new Date(clock.now()).toISOString() });
    expect(list.backups[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('verifies a whole backup on request and records the time; a flipped byte is caught', async () => {
    await advance(60_000);
    const ok = await call<BackupVerifyView>(ops, 'backup:verify', { path: first.path });
    expect(ok).toMatchObject({ ok: true, problems: [], files: 31, verifiedAt: new Date(clock.now()).toISOString() });
    const listed = await call<BackupListView>(ops, 'backup:list', { destination: destA });
    expect(listed.backups[0]).toMatchObject({ verifiedAt: ok.verifiedAt, verifyMode: 'full' });
    // Outside a configured destination: refused, nothing read.
    expect((await refused(ops, 'backup:verify', { path: path.join(outside.dir, 'midc-backup-20260101T000000Z-abcdef') })).code).toBe('NOT_FOUND');
  });

  it('reports health: healthy blocked only by the missing drill, then healthy after the drill, with the RTO', async () => {
    let health = await call<BackupHealthView>(ops, 'backup:health', {});
    expect(health.newestVerified?.id).toBe(first.id);
    expect(reasonKeys(health)).toEqual(['noDrill']);
    expect(health.storage.present).toBe(true);
    expect(health.destinations.map((d) => [d.path, d.backups])).toEqual([
      [destA, 1],
      [destB, 0],
    ]);

    const drill = await call<RestoreDrillView>(ops, 'backup:restoreDrill', {});
    expect(drill).toMatchObject({ ok: true, id: first.id, files: 31, problems: [] });
    expect(drill.durationMs).toBeGreaterThan(0);
    expect(drill.blobs).toBe(30);
    expect(drill.tables.users).toBe(3);
    expect(drill.auditHead).toMatch(/^[0-9a-f]{64}$/);
    health = await call<BackupHealthView>(ops, 'backup:health', {});
    expect(reasonKeys(health)).toEqual([]);
    expect(health.status).toBe(health.reasons.length ? 'warning' : 'healthy');
    expect(health.lastDrill).toMatchObject({ ok: true });

    // 25 hours later, without a new backup: a warning, with its reason.
    await advance(25 * 3_600_000);
    health = await call<BackupHealthView>(ops, 'backup:health', {});
    expect(health.status).toBe('warning');
    expect(reasonKeys(health)).toEqual(['verifiedBackupOld']);
  });

  it('applies retention after each verified run, never deleting the newest verified backup', async () => {
    const ids: string[] = [first.id];
    for (let day = 0; day < 4; day++) {
      await advance(24 * 3_600_000);
      addBlobs(new BlobStore(app.services.workspace.storageDir), 1);
      const run = await call<BackupRunView>(ops, 'backup:runNow', { destination: destA });
      ids.push(run.id);
    }
    const remaining = listBackups(destA).map((b) => b.id);
    expect(remaining).toHaveLength(3);
    expect(remaining).toEqual(ids.slice(-3).reverse());
    const pruneAudits = audits('backup:runNow').filter((a) => JSON.parse(a.details).pruned);
    expect(pruneAudits.length).toBeGreaterThan(0);
    for (const b of listBackups(destA)) expect((await call<BackupVerifyView>(ops, 'backup:verify', { path: b.path })).ok).toBe(true);
  });

  it('cancels a running backup: the call fails as cancelled, no backup is left, the next one works', async () => {
    addBlobs(new BlobStore(app.services.workspace.storageDir), 400);
    const before = listBackups(destB).length;
    events.length = 0;
    const running = app.dispatch(ops, 'backup:runNow', { destination: destB });
    // Wait for the blob phase, then cancel.
    for (let i = 0; i < 500 && !events.some(([, p]) => (p as { phase: string }).phase === 'blobs'); i++) await new Promise((r) => setTimeout(r, 2));
    const status = await call<BackupStatusView>(ops, 'backup:status', {});
    expect(status.running?.destination).toBe(destB);
    expect(status.nextRuns).toEqual([{ schedule: 'daily', at: expect.any(String) }]);
    expect(await call(ops, 'backup:cancel', {})).toEqual({ cancelled: 1 });
    const result = await running;
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/cancelled/) } });
    expect(listBackups(destB)).toHaveLength(before);
    expect(fs.readdirSync(destB).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    expect(readRuns(app.services.db)[0]).toMatchObject({ ok: false, destination: destB });
    const again = await call<BackupRunView>(ops, 'backup:runNow', { destination: destB });
    expect(again.verification.ok).toBe(true);
  });

  it('a drill of a damaged backup reports ok: false with the problems, nothing restored', async () => {
    await advance(60_000);
    await call<BackupRunView>(ops, 'backup:runNow', { destination: destB });
    const newest = listBackups(destB)[0]!;
    const blob = readManifest(newest.path);
    if (!blob.ok) throw new Error(blob.error);
    const file = blob.manifest.files.find((f) => f.path.startsWith('storage/'))!;
    const victim = file.path;
    flipByte(fileLocation(newest.path, blob.manifest, file));
    const drill = await call<RestoreDrillView>(ops, 'backup:restoreDrill', {});
    expect(drill.ok).toBe(false);
    expect(drill.problems.join('\n')).toContain(victim);
  });

  it('takes over the lock that a backup of this app left on a disk that went away, once the disk is back', async () => {
    // What a backup worker leaves when its disk goes away mid-run: a lock of this process that
    // no thread holds any more (and that no other thread can tell apart from a live one).
    const lock = path.join(destA, LOCK_FILE);
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), instance: 'gone-worker', token: 'gone-worker-1', startedAt: new Date().toISOString() }));
    await advance(60_000);
    const run = await call<BackupRunView>(ops, 'backup:runNow', { destination: destA });
    expect(run.verification.ok).toBe(true);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('a verify moves the damaged pool blob aside, and the next backup copies it again', async () => {
    const damaged = listBackups(destB)[0]!;
    const loaded = readManifest(damaged.path);
    if (!loaded.ok) throw new Error(loaded.error);
    const file = loaded.manifest.files.find((f) => f.path.startsWith('storage/'))!;
    const found = await call<BackupVerifyView>(ops, 'backup:verify', { path: damaged.path });
    expect(found.ok).toBe(false);
    expect(fs.existsSync(fileLocation(damaged.path, loaded.manifest, file))).toBe(false);
    expect(fs.readdirSync(path.join(destB, 'damaged'))).toEqual([file.sha256]);
    await advance(60_000);
    const next = await call<BackupRunView>(ops, 'backup:runNow', { destination: destB });
    expect(next.verification.ok).toBe(true);
    // Back in the pool, whole: every backup that references it is whole again.
    expect(hashFileSync(fileLocation(damaged.path, loaded.manifest, file))).toBe(file.sha256);
    for (const b of listBackups(destB)) expect((await call<BackupVerifyView>(ops, 'backup:verify', { path: b.path })).ok).toBe(true);
  });
});

describe('the scheduler of the service (fake clock and timer)', () => {
  it('catches up a missed daily run once at start, one backup per present destination, audited as scheduler', async () => {
    const timers: { fn: () => void; ms: number }[] = [];
    const timer: Timer = { setTimeout: (fn, ms) => timers.push({ fn, ms }), clearTimeout: () => undefined };
    const service = new BackupService({ ...app.services, timer });
    // Later than every backup so far (the fake clock does not move by itself).
    clock.advance(60_000);
    // Pretend the daily schedule last fired three days ago: the app was closed since.
    app.services.db.prepare("INSERT INTO settings (key, value) VALUES ('backup.schedule', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
      JSON.stringify({ daily: new Date(clock.now() - 3 * 86_400_000).toISOString() }),
    );
    const beforeA = listBackups(destA).length;
    const beforeB = listBackups(destB).length;
    service.startScheduler();
    expect(service.queue.running?.job).toMatchObject({ trigger: 'schedule', schedule: 'daily' });
    await service.queue.whenIdle();
    await service.checksIdle();
    service.stopScheduler();
    // Exactly one scheduled backup per destination, however many days were missed.
    const scheduledRuns = readRuns(app.services.db).filter((r) => r.trigger === 'schedule');
    expect(scheduledRuns.map((r) => [r.destination, r.ok]).sort()).toEqual([
      [destA, true],
      [destB, true],
    ]);
    // Each is now the newest in its destination (older ones of the same day were pruned: one per day).
    expect(listBackups(destA)[0]?.id).toBe(scheduledRuns.find((r) => r.destination === destA)?.id);
    expect(listBackups(destB)[0]?.id).toBe(scheduledRuns.find((r) => r.destination === destB)?.id);
    expect(listBackups(destA).length).toBeLessThanOrEqual(beforeA);
    expect(beforeB).toBeGreaterThan(0);
    expect(readScheduleState(app.services.db).daily).toBe(new Date(clock.now()).toISOString());
    const scheduled = audits('backup:scheduled');
    expect(scheduled.filter((a) => a.outcome === 0 && a.object_type === 'backup').length).toBeGreaterThanOrEqual(2);
    expect(scheduled.every((a) => a.actor_name === 'scheduler')).toBe(true);
    // One wake-up for the backup schedules, one for the scheduled checks.
    expect(timers.length).toBe(2);
    expect(verifyAuditChain(app.services.db).ok).toBe(true);
  });
});
