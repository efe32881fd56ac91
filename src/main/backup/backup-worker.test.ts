import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupProgressView } from '../../shared/contract/backup';
import { AppError } from '../../shared/errors';
import { seedAndLogin, tempDir, testApp } from '../../../test/helpers/workspace';
import type { App } from '../app';
import type { Sender } from '../ipc/sender';
import { BlobStore } from '../storage/blob-store';
import { BackupService, type Commit } from './backup-service';
import { runBackupInWorker } from './run-in-worker';
import { addBlobs } from './test-support/fixtures';
import { verifyBackup } from './verify-backup';
import { backupWorkerFile } from './worker-file';

// The backup and its verification run in out/main/backup-worker.js: build first (npm run build).
let app: App;
let cleanup: () => void;
let outside: { dir: string; cleanup: () => void };
let ops: Sender;
let dest: string;
let service: BackupService;

const commit: Commit = (_object, fn) => app.services.db.transaction(() => fn(app.services.db)).immediate();
const entries = (dir: string) => fs.readdirSync(dir).filter((n) => !n.startsWith('.midc-backup.lock'));

beforeAll(async () => {
  ({ app, cleanup } = testApp());
  outside = tempDir('midc-backup-worker-');
  dest = path.join(outside.dir, 'raid2');
  fs.mkdirSync(dest);
  ({ olga: ops } = await seedAndLogin(app, { olga: ['ops'] }));
  // Fewer than 64 blobs: the old in-thread loop did not yield to the event loop at all while
  // it copied them, so no call could be answered between two of its progress events.
  addBlobs(new BlobStore(app.services.workspace.storageDir), 60, 512 * 1024);
  const saved = await app.dispatch(ops, 'backup:setConfig', {
    config: { destinations: [{ path: dest }], schedules: [], retention: { daily: 5, weekly: 0, monthly: 0 }, verifySample: 0 },
  });
  if (!saved.ok) throw new Error(saved.error.message);
  // One progress event per blob, so that "between two progress events" is fine-grained.
  service = new BackupService({ ...app.services, progressIntervalMs: 0 });
});
afterAll(() => {
  cleanup();
  outside.cleanup();
});

describe('a backup runs off the main thread', () => {
  it('answers IPC calls that read the database while it copies blobs, between two of its progress events', async () => {
    const log: string[] = [];
    let finished = false;
    const run = service
      .runNow(dest, commit, (p: BackupProgressView) => {
        if (p.phase === 'blobs') log.push(`blobs ${p.done}/${p.total}`);
      })
      .finally(() => {
        finished = true;
      });
    let answered = 0;
    while (!finished) {
      // backup:config reads the settings table through the full IPC path (session, role, zod).
      const r = await app.dispatch(ops, 'backup:config', {});
      expect(r.ok).toBe(true);
      answered++;
      log.push('ipc');
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await run;
    expect(result.verification.ok).toBe(true);
    expect(result.copied).toBe(60);

    const firstBlob = log.findIndex((e) => e.startsWith('blobs'));
    const lastBlob = log.findLastIndex((e) => e.startsWith('blobs'));
    expect(firstBlob).toBeGreaterThanOrEqual(0);
    expect(log[lastBlob]).toBe('blobs 60/60');
    // The main thread serviced at least one IPC call while the blobs were being copied.
    expect(log.slice(firstBlob + 1, lastBlob).filter((e) => e === 'ipc').length).toBeGreaterThan(0);
    expect(answered).toBeGreaterThan(1);
  });

  it('cancels a running backup in the worker: nothing is left in the backup root, and the next run works', async () => {
    const before = entries(dest);
    let cancelled = false;
    const run = service.runNow(dest, commit, (p) => {
      if (p.phase === 'blobs' && !cancelled) {
        cancelled = true;
        service.cancel();
      }
    });
    await expect(run).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/was cancelled; nothing was kept/) });
    expect(cancelled).toBe(true);
    expect(entries(dest)).toEqual(before);

    const next = await service.runNow(dest, commit);
    expect(next.linked).toBe(60);
    expect((await verifyBackup(next.path)).ok).toBe(true);
  });

  it('passes errors back with their code and message', async () => {
    const missing = path.join(outside.dir, 'unmounted');
    const err = await runBackupInWorker({ workerFile: backupWorkerFile(), workspaceDir: app.services.workspace.root, destDir: missing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'STORAGE_IO', message: expect.stringMatching(/unmounted does not exist \(is the backup disk mounted\?\)/) });
  });
});
