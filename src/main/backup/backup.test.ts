import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import { tempDir } from '../../../test/helpers/workspace';
import { verifyWorkspace } from '../cli/commands/verify';
import type { ReadableDB } from '../db/types';
import { walkBlobs } from '../storage/blob-store';
import { workspaceLayout } from '../workspace/workspace';
import { LOCK_FILE, listBackups, runBackup, tableCounts } from './backup';
import { BACKUP_NAME, MANIFEST_FILE, parseManifest } from './manifest';
import { restoreBackup } from './restore';
import { addBlobs, cli, demoWorkspace, flipByte } from './test-support/fixtures';
import { verifyBackup } from './verify-backup';

let root: string;
let cleanup: () => void;
let ws: string;
let dest: string;

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir('midc-backup-'));
  ws = path.join(root, 'workspace');
  dest = path.join(root, 'backups');
  fs.mkdirSync(dest);
});

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

function counts(dbFile: string): Record<string, number> {
  const db = new Database(dbFile, { readonly: true }) as ReadableDB;
  try {
    return tableCounts(db);
  } finally {
    db.close();
  }
}

function blobSet(workspace: string): string[] {
  return [...walkBlobs(workspaceLayout(workspace).storageDir)].map((b) => b.sha256).sort();
}

describe('midc backup and restore', () => {
  it('round-trips a demo workspace: backup, verify, restore elsewhere, same blobs, rows and chain head', async () => {
    const { shas, demoBlobs } = await demoWorkspace(ws, 25);
    const run = await cli('backup', 'run', '--to', dest, '--workspace', ws, '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { id: string; path: string; files: number; bytes: number };
    expect(Object.keys(result)).toEqual(['id', 'path', 'files', 'bytes']);
    expect(result.id).toMatch(BACKUP_NAME);
    expect(result.path).toBe(path.join(dest, result.id));
    expect(result.files).toBe(26 + demoBlobs);
    expect(result.bytes).toBeGreaterThan(0);
    expect(run.stderr).toContain('snapshotting the database');
    expect(fs.readdirSync(dest).sort()).toEqual([result.id]);

    const manifest = parseManifest(fs.readFileSync(path.join(result.path, MANIFEST_FILE), 'utf8'));
    if (!manifest.ok) throw new Error(manifest.error);
    const source = await verifyWorkspace(ws);
    expect(manifest.manifest.audit).toMatchObject({ head: source.audit.head, entries: source.audit.entries, ok: true });
    expect(manifest.manifest.audit.entries).toBeGreaterThan(0);
    expect(manifest.manifest.database.tables).toEqual(counts(workspaceLayout(ws).dbFile));
    expect(manifest.manifest.schemaVersion).toBeGreaterThan(0);

    const list = await cli('backup', 'list', '--to', dest, '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { id: string; readable: boolean }[]).map((b) => [b.id, b.readable])).toEqual([[result.id, true]]);

    const verify = await cli('backup', 'verify', '--backup', result.path, '--json');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toEqual({ ok: true, problems: [] });

    const target = path.join(root, 'restored');
    const restore = await cli('restore', '--backup', result.path, '--workspace', target, '--json');
    expect(restore.stderr).not.toMatch(/Error/);
    expect(restore.code).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({ workspace: target, files: 26 + demoBlobs, verify: { ok: true } });
    const restored = await verifyWorkspace(target);
    expect(restored.ok).toBe(true);
    expect(restored.audit).toMatchObject({ head: source.audit.head, entries: source.audit.entries });
    expect(blobSet(target)).toEqual(expect.arrayContaining(shas));
    expect(blobSet(target)).toEqual(blobSet(ws));
    expect(counts(workspaceLayout(target).dbFile)).toEqual(counts(workspaceLayout(ws).dbFile));
    expect(fs.readdirSync(target).sort()).toEqual(['logs', 'midc.sqlite', 'storage']);
    // The restored workspace opens in the app as any other.
    expect((await cli('verify', '--workspace', target)).code).toBe(0);
  });

  it('catches a corrupted byte in a backed-up blob (exit 3) and refuses to restore it', async () => {
    const { shas } = await demoWorkspace(ws, 5);
    const { path: backup } = await runBackup({ workspaceDir: ws, destDir: dest });
    const sha = shas[2] as string;
    const rel = `storage/blobs/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`;
    flipByte(path.join(backup, rel), 3);
    const verify = await cli('backup', 'verify', '--backup', backup, '--json');
    expect(verify.code).toBe(3);
    const report = JSON.parse(verify.stdout) as { ok: boolean; problems: { path: string; problem: string }[] };
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ path: rel, problem: expect.stringMatching(/content hash is/) }]);

    const target = path.join(root, 'restored');
    const restore = await cli('restore', '--backup', backup, '--workspace', target);
    expect(restore.code).toBe(3);
    expect(restore.stderr).toMatch(/failed verification; nothing was restored/);
    expect(fs.existsSync(path.join(target, 'midc.sqlite'))).toBe(false);
  });

  it('catches a corrupted byte in the backed-up database (exit 3)', async () => {
    await demoWorkspace(ws, 2);
    const { path: backup } = await runBackup({ workspaceDir: ws, destDir: dest });
    flipByte(path.join(backup, 'midc.sqlite'), 5000);
    const verify = await cli('backup', 'verify', '--backup', backup, '--json');
    expect(verify.code).toBe(3);
    expect((JSON.parse(verify.stdout) as { problems: { path: string }[] }).problems.map((p) => p.path)).toContain('midc.sqlite');
  });

  it('reports missing and extra files, and a manifest that is damaged or does not parse', async () => {
    const { shas } = await demoWorkspace(ws, 3);
    const { path: backup } = await runBackup({ workspaceDir: ws, destDir: dest });
    const sha = shas[0] as string;
    const rel = `storage/blobs/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`;
    fs.rmSync(path.join(backup, rel));
    fs.writeFileSync(path.join(backup, 'stray.txt'), 'x');
    const report = await verifyBackup(backup);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(expect.arrayContaining([{ path: rel, problem: 'missing' }, { path: 'stray.txt', problem: 'not listed in the manifest' }]));

    const manifestFile = path.join(backup, MANIFEST_FILE);
    const text = fs.readFileSync(manifestFile, 'utf8');
    // A count edited by hand (or by a flipped bit) no longer matches the manifest's checksum.
    fs.writeFileSync(manifestFile, text.replace(/"users": \d+/, '"users": 99'));
    expect((await verifyBackup(backup)).problems).toEqual([{ path: MANIFEST_FILE, problem: expect.stringMatching(/checksum/) }]);
    fs.writeFileSync(manifestFile, text.slice(0, 200));
    expect((await verifyBackup(backup)).problems).toEqual([{ path: MANIFEST_FILE, problem: expect.stringMatching(/not valid JSON/) }]);
    const verify = await cli('backup', 'verify', '--backup', backup);
    expect(verify.code).toBe(3);
    expect(listBackups(dest)[0]).toMatchObject({ readable: false });
    expect((await verifyBackup(path.join(dest, 'nope'))).ok).toBe(false);
  });

  it('hard-links unchanged blobs from the previous backup and copies only new ones', async () => {
    const { store, shas, demoBlobs } = await demoWorkspace(ws, 10);
    const first = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(first).toMatchObject({ linked: 0, copied: 10 + demoBlobs });
    const added = addBlobs(store, 3);
    const second = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(second).toMatchObject({ linked: 10 + demoBlobs, copied: 3, files: 14 + demoBlobs });
    const rel = (sha: string) => `storage/blobs/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`;
    for (const sha of shas) {
      expect(fs.statSync(path.join(second.path, rel(sha))).ino).toBe(fs.statSync(path.join(first.path, rel(sha))).ino);
    }
    for (const sha of added) {
      expect(fs.existsSync(path.join(first.path, rel(sha)))).toBe(false);
      expect(fs.statSync(path.join(second.path, rel(sha))).nlink).toBe(1);
    }
    // Each backup stands alone: the first still verifies, and the second restores by itself.
    expect((await verifyBackup(first.path)).ok).toBe(true);
    expect((await verifyBackup(second.path)).ok).toBe(true);
    fs.rmSync(first.path, { recursive: true });
    const restored = await restoreBackup(second.path, path.join(root, 'restored'));
    expect(restored.verify.blobs.count).toBe(13 + demoBlobs);
    expect(listBackups(dest).map((b) => b.id)).toEqual([second.id]);
  });

  it('leaves a damaged workspace blob out, says so, and exits 1', async () => {
    const { store, shas, demoBlobs } = await demoWorkspace(ws, 4);
    flipByte(store.path(shas[1] as string));
    const run = await cli('backup', 'run', '--to', dest, '--workspace', ws, '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/was left out: damaged in the workspace/);
    const result = JSON.parse(run.stdout) as { path: string; files: number };
    expect(result.files).toBe(4 + demoBlobs);
    expect((await verifyBackup(result.path)).ok).toBe(true);
  });

  it('answers usage errors with exit 2', async () => {
    await demoWorkspace(ws, 1);
    expect((await cli('backup', 'run', '--workspace', ws)).code).toBe(2);
    expect((await cli('backup')).code).toBe(2);
    expect((await cli('backup', 'frobnicate')).code).toBe(2);
    expect((await cli('backup', 'verify')).code).toBe(2);
    expect((await cli('backup', 'run', '--to', dest, '--bogus', 'x', '--workspace', ws)).code).toBe(2);
    expect((await cli('restore', '--workspace', path.join(root, 'x'))).code).toBe(2);
    const { path: backup } = await runBackup({ workspaceDir: ws, destDir: dest });
    const overwrite = await cli('restore', '--backup', backup, '--workspace', ws);
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toMatch(/is not empty/);
  });

  it('refuses a backup root that is missing or inside the workspace', async () => {
    await demoWorkspace(ws, 1);
    const missing = await cli('backup', 'run', '--to', path.join(root, 'unmounted'), '--workspace', ws);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist \(is the backup disk mounted\?\)/);
    expect(fs.existsSync(path.join(root, 'unmounted'))).toBe(false);
    await expect(runBackup({ workspaceDir: ws, destDir: path.join(ws, 'storage') })).rejects.toThrow(/inside the workspace/);
    await expect(runBackup({ workspaceDir: path.join(root, 'none'), destDir: dest })).rejects.toThrow(/no workspace database/);
  });

  it('fails cleanly when the backup disk fills: no final-named backup, no temp, and the next run works', async () => {
    await demoWorkspace(ws, 20);
    // Blobs are written with fs.write (asynchronous, several at once): the 8th write fails.
    const write = fs.write;
    let calls = 0;
    vi.spyOn(fs, 'write').mockImplementation(((...args: unknown[]) => {
      if (++calls === 8) {
        const callback = args[args.length - 1] as (err: Error) => void;
        process.nextTick(() => callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })));
        return;
      }
      (write as (...a: unknown[]) => void)(...args);
    }) as typeof fs.write);
    try {
      await runBackup({ workspaceDir: ws, destDir: dest });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('STORAGE_IO');
      expect((err as AppError).message).toContain(dest);
      expect((err as AppError).message).toContain('no space left');
    }
    vi.restoreAllMocks();
    expect(fs.readdirSync(dest)).toEqual([]);
    const next = await runBackup({ workspaceDir: ws, destDir: dest });
    expect((await verifyBackup(next.path)).ok).toBe(true);
  });

  it('refuses up front when the backup root has too little space', async () => {
    await demoWorkspace(ws, 3);
    vi.spyOn(fs, 'statfsSync').mockReturnValue({ bsize: 4096, bavail: 1, blocks: 1000, bfree: 1, files: 0, ffree: 0, type: 0 } as fs.StatsFs);
    await expect(runBackup({ workspaceDir: ws, destDir: dest })).rejects.toThrow(/needs about .* but only 4.0 KiB is free; nothing was written/);
    expect(fs.readdirSync(dest)).toEqual([]);
  });

  it('stops on cancel without leaving anything, and cleans temps of interrupted runs', async () => {
    await demoWorkspace(ws, 3);
    const controller = new AbortController();
    await expect(
      runBackup({
        workspaceDir: ws,
        destDir: dest,
        signal: controller.signal,
        onProgress: (p) => p.phase === 'database' && p.done === 1 && controller.abort(),
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(fs.readdirSync(dest)).toEqual([]);

    fs.mkdirSync(path.join(dest, '.tmp-midc-backup-20260101T000000Z-abcdef', 'storage'), { recursive: true });
    fs.writeFileSync(path.join(dest, '.tmp-midc-backup-20260101T000000Z-abcdef', 'midc.sqlite'), 'partial');
    expect(listBackups(dest)).toEqual([]);
    const done = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(fs.readdirSync(dest)).toEqual([done.id]);
  });

  it('runs one backup at a time per root and takes over the lock of a dead process', async () => {
    await demoWorkspace(ws, 1);
    const lock = path.join(dest, LOCK_FILE);
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname() }));
    await expect(runBackup({ workspaceDir: ws, destDir: dest })).rejects.toMatchObject({ code: 'CONFLICT' });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    fs.writeFileSync(lock, JSON.stringify({ pid: dead, host: (await import('node:os')).hostname() }));
    const done = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(fs.existsSync(lock)).toBe(false);
    expect((await verifyBackup(done.path)).ok).toBe(true);
  });
});
