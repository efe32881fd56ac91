import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import { tempDir } from '../../../test/helpers/workspace';
import { verifyWorkspace } from '../cli/commands/verify';
import type { ReadableDB } from '../db/types';
import { walkBlobs } from '../storage/blob-store';
import { blobPath } from '../storage/blob-layout';
import { workspaceLayout } from '../workspace/workspace';
import { LOCK_FILE, acquireLock, listBackups, readManifest, runBackup, tableCounts } from './backup';
import { BACKUP_NAME, MANIFEST_FILE, parseManifest, sealManifest, serializeManifest } from './manifest';
import { restoreBackup } from './restore';
import { addBlobs, cli, convertToFormat1, demoWorkspace, flipByte, poolBlobs, poolFile } from './test-support/fixtures';
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
    // The backup folder holds the snapshot and the manifest; the blobs are in the root's pool.
    expect(fs.readdirSync(dest).sort()).toEqual(['blobs', result.id].sort());
    expect(fs.readdirSync(result.path).sort()).toEqual(['manifest.json', 'midc.sqlite']);
    expect(poolBlobs(dest)).toEqual(blobSet(ws));

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
    const { path: later } = await runBackup({ workspaceDir: ws, destDir: dest });
    const sha = shas[2] as string;
    const rel = `storage/blobs/${sha.slice(0, 2)}/${sha}`;
    flipByte(poolFile(dest, sha), 3);
    // One pool blob, referenced by both backups: both fail.
    expect((await cli('backup', 'verify', '--backup', later, '--json')).code).toBe(3);
    const verify = await cli('backup', 'verify', '--backup', backup, '--json');
    expect(verify.code).toBe(3);
    const report = JSON.parse(verify.stdout) as { ok: boolean; problems: { path: string; problem: string }[] };
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ path: rel, problem: expect.stringMatching(/content hash is .* \(pool blob blobs\/..\/[0-9a-f]{64}\)$/) }]);

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
    const rel = `storage/blobs/${sha.slice(0, 2)}/${sha}`;
    fs.rmSync(poolFile(dest, sha));
    fs.writeFileSync(path.join(backup, 'stray.txt'), 'x');
    // A blob file inside a format-2 folder is not part of it either.
    fs.mkdirSync(path.join(backup, 'storage'));
    fs.writeFileSync(path.join(backup, 'storage', 'x'), 'x');
    const report = await verifyBackup(backup);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        { path: rel, problem: `missing from the blob pool (blobs/${sha.slice(0, 2)}/${sha})` },
        { path: 'stray.txt', problem: 'not listed in the manifest' },
        { path: 'storage/x', problem: 'not listed in the manifest' },
      ]),
    );

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

  it('references unchanged blobs in the pool and copies only new ones; an unchanged incremental copies nothing and its folder holds no blob', async () => {
    const { store, shas, demoBlobs } = await demoWorkspace(ws, 10);
    const first = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(first).toMatchObject({ linked: 0, copied: 10 + demoBlobs });
    const inodes = new Map(shas.map((sha) => [sha, fs.statSync(poolFile(dest, sha)).ino]));
    const unchanged = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(unchanged).toMatchObject({ linked: 10 + demoBlobs, copied: 0, files: 11 + demoBlobs });
    expect(fs.readdirSync(unchanged.path).sort()).toEqual(['manifest.json', 'midc.sqlite']);
    const added = addBlobs(store, 3);
    const second = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(second).toMatchObject({ linked: 10 + demoBlobs, copied: 3, files: 14 + demoBlobs });
    expect(fs.readdirSync(second.path).sort()).toEqual(['manifest.json', 'midc.sqlite']);
    // Reused blobs were not rewritten: same inode as the first backup wrote.
    for (const sha of shas) expect(fs.statSync(poolFile(dest, sha)).ino).toBe(inodes.get(sha));
    for (const sha of added) expect(fs.existsSync(poolFile(dest, sha))).toBe(true);
    const manifest = readManifest(second.path);
    if (!manifest.ok) throw new Error(manifest.error);
    expect(manifest.manifest).toMatchObject({ formatVersion: 2, blobs: { reused: 10 + demoBlobs, copied: 3 } });
    expect(manifest.manifest.files.map((f) => f.path)).toContain(`storage/blobs/${added[0]!.slice(0, 2)}/${added[0]}`);
    // Each backup verifies; the newest restores on its own once the older folders are gone.
    for (const b of [first, unchanged, second]) expect((await verifyBackup(b.path)).ok).toBe(true);
    fs.rmSync(first.path, { recursive: true });
    fs.rmSync(unchanged.path, { recursive: true });
    const restored = await restoreBackup(second.path, path.join(root, 'restored'));
    expect(restored.verify.blobs.count).toBe(13 + demoBlobs);
    expect(blobSet(path.join(root, 'restored'))).toEqual(blobSet(ws));
    expect(listBackups(dest).map((b) => b.id)).toEqual([second.id]);
  });

  it('rewrites a pool blob that no manifest references (left torn by a killed backup) instead of trusting it', async () => {
    const { shas, demoBlobs } = await demoWorkspace(ws, 4);
    const sha = shas[0] as string;
    // A killed backup left this blob at its pool name, cut short, and published no manifest.
    fs.mkdirSync(path.dirname(poolFile(dest, sha)), { recursive: true });
    fs.writeFileSync(poolFile(dest, sha), fs.readFileSync(blobPath(workspaceLayout(ws).storageDir, sha)).subarray(0, 3));
    const tornIno = fs.statSync(poolFile(dest, sha)).ino;
    const first = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(first).toMatchObject({ linked: 0, copied: 4 + demoBlobs });
    expect(fs.statSync(poolFile(dest, sha)).ino).not.toBe(tornIno);
    expect((await verifyBackup(first.path)).ok).toBe(true);

    // Same size but not referenced (a complete copy whose manifest never got published): not
    // trusted either; and one that a published manifest references but the pool lost since is
    // copied again, which repairs the older backup too.
    const other = shas[1] as string;
    fs.rmSync(first.path, { recursive: true });
    flipByte(poolFile(dest, sha));
    const second = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(second.linked).toBe(0);
    expect((await verifyBackup(second.path)).ok).toBe(true);
    fs.rmSync(poolFile(dest, other));
    expect((await verifyBackup(second.path)).ok).toBe(false);
    const third = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(third).toMatchObject({ copied: 1, linked: 3 + demoBlobs });
    expect((await verifyBackup(second.path)).ok).toBe(true);
    expect((await verifyBackup(third.path)).ok).toBe(true);
  });

  it('trusts a pool blob that the newest manifest references by its name; verify --repair moves a damaged one aside and the next backup repairs it', async () => {
    const { shas, demoBlobs } = await demoWorkspace(ws, 3);
    const first = await runBackup({ workspaceDir: ws, destDir: dest });
    const cut = shas[0] as string;
    const flipped = shas[1] as string;
    fs.truncateSync(poolFile(dest, cut), 1);
    flipByte(poolFile(dest, flipped)); // same size, other content
    const second = await runBackup({ workspaceDir: ws, destDir: dest });
    // Not re-read, not even stat-ed: an unchanged incremental lists the pool folders only.
    expect(second).toMatchObject({ copied: 0, linked: 3 + demoBlobs });
    const found = await verifyBackup(second.path);
    expect(found.ok).toBe(false);
    expect(found.problems.map((p) => p.path)).toEqual(expect.arrayContaining([cut, flipped].map((sha) => `storage/blobs/${sha.slice(0, 2)}/${sha}`)));
    expect(found.quarantined).toBeUndefined();
    expect(fs.existsSync(poolFile(dest, cut))).toBe(true);

    // While a backup holds the root's lock, nothing is moved.
    const release = acquireLock(dest);
    const locked = await verifyBackup(second.path, { quarantine: true });
    release();
    expect(locked.quarantined).toEqual([]);
    expect(locked.quarantineNote).toMatch(/not moved aside: Another backup/);

    const repair = await cli('backup', 'verify', '--backup', second.path, '--repair', '--json');
    expect(repair.code).toBe(3);
    expect(repair.stderr).toMatch(/moved 2 damaged pool blob\(s\) aside/);
    expect(fs.readdirSync(path.join(dest, 'damaged')).sort()).toEqual([cut, flipped].sort());
    expect(fs.existsSync(poolFile(dest, cut))).toBe(false);
    // The next backup copies both again from the workspace, and every backup is whole again.
    const third = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(third).toMatchObject({ copied: 2, linked: 1 + demoBlobs });
    for (const b of [first, second, third]) expect((await verifyBackup(b.path, { quarantine: true })).ok).toBe(true);
    expect(fs.readdirSync(path.join(dest, 'damaged')).sort()).toEqual([cut, flipped].sort());
  });

  it('verify --repair moves only pool blobs whose content is not that of their name', async () => {
    const { shas } = await demoWorkspace(ws, 1);
    const sha = shas[0] as string;
    const backup = await runBackup({ workspaceDir: ws, destDir: dest });
    // A manifest edited to a wrong size and sealed again: the pool blob itself is intact.
    const loaded = readManifest(backup.path);
    if (!loaded.ok) throw new Error(loaded.error);
    const { checksum: _checksum, ...body } = loaded.manifest;
    void _checksum;
    const files = body.files.map((f) => (f.sha256 === sha ? { ...f, size: f.size + 1 } : f));
    fs.writeFileSync(path.join(backup.path, MANIFEST_FILE), serializeManifest(sealManifest({ ...body, files })));
    const report = await verifyBackup(backup.path, { quarantine: true });
    expect(report.ok).toBe(false);
    expect(report.quarantined).toEqual([]);
    expect(fs.existsSync(poolFile(dest, sha))).toBe(true);
  });

  it('takes the check results of the newest backup for a byte-identical snapshot, and checks a changed one', async () => {
    await demoWorkspace(ws, 2);
    const first = await runBackup({ workspaceDir: ws, destDir: dest });
    // Re-seal the first manifest with a marker in its recorded row counts: an unchanged
    // database gives the same snapshot bytes, and the next backup takes these results over.
    const loaded = readManifest(first.path);
    if (!loaded.ok) throw new Error(loaded.error);
    const { checksum: _checksum, ...body } = loaded.manifest;
    void _checksum;
    const tables = { ...body.database.tables, marker: 7 };
    fs.writeFileSync(path.join(first.path, MANIFEST_FILE), serializeManifest(sealManifest({ ...body, database: { ...body.database, tables } })));
    const unchanged = await runBackup({ workspaceDir: ws, destDir: dest });
    const second = readManifest(unchanged.path);
    if (!second.ok) throw new Error(second.error);
    expect(second.manifest.files[0]).toEqual(body.files[0]);
    expect(second.manifest.database.tables).toEqual(tables);

    const db = new Database(workspaceLayout(ws).dbFile);
    db.prepare("INSERT INTO settings (key, value) VALUES ('test.changed', '1')").run();
    db.close();
    const changed = await runBackup({ workspaceDir: ws, destDir: dest });
    const third = readManifest(changed.path);
    if (!third.ok) throw new Error(third.error);
    expect(third.manifest.files[0]?.sha256).not.toBe(body.files[0]?.sha256);
    expect(third.manifest.database.tables).toEqual({ ...body.database.tables, settings: (body.database.tables.settings as number) + 1 });
    expect((await verifyBackup(changed.path)).ok).toBe(true);
  });

  it('snapshots the database through memory or with VACUUM INTO: both verify, standalone, with the same row counts and chain head', async () => {
    await demoWorkspace(ws, 2);
    const viaMemory = await runBackup({ workspaceDir: ws, destDir: dest });
    const viaVacuum = await runBackup({ workspaceDir: ws, destDir: dest, serializeMaxBytes: 0 });
    for (const b of [viaMemory, viaVacuum]) {
      expect((await verifyBackup(b.path)).ok).toBe(true);
      // A standalone file in rollback-journal mode: opening it leaves no -wal or -shm beside it.
      const header = Buffer.alloc(20);
      const fd = fs.openSync(path.join(b.path, 'midc.sqlite'), 'r');
      fs.readSync(fd, header, 0, 20, 0);
      fs.closeSync(fd);
      expect([header[18], header[19]]).toEqual([1, 1]);
      expect(fs.readdirSync(b.path).sort()).toEqual(['manifest.json', 'midc.sqlite']);
    }
    const m1 = readManifest(viaMemory.path);
    const m2 = readManifest(viaVacuum.path);
    if (!m1.ok || !m2.ok) throw new Error('unreadable manifest');
    expect(m1.manifest.database.tables).toEqual(m2.manifest.database.tables);
    expect(m1.manifest.audit.head).toBe(m2.manifest.audit.head);
  });

  it('makes the backup durable with an fsync per file and folder when syncfs is unavailable, or for a few files', async () => {
    const { store, demoBlobs } = await demoWorkspace(ws, 12);
    const spy = vi.spyOn(fs, 'open');
    const forced = await runBackup({ workspaceDir: ws, destDir: dest, syncMethod: 'fsync' });
    expect(forced.syncMethod).toBe('fsync');
    // Every pool blob written was opened again here to be fsynced (the read-back that checks
    // its hash is done by a hash worker, with its own reads), and so was the pool folder.
    const opened = spy.mock.calls.map((c) => String(c[0]));
    for (const sha of poolBlobs(dest)) expect(opened.filter((f) => f === poolFile(dest, sha)).length).toBe(1);
    expect(opened).toContain(path.join(dest, 'blobs'));
    spy.mockClear();
    addBlobs(store, 2);
    const few = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(few).toMatchObject({ syncMethod: 'fsync', copied: 2, linked: 12 + demoBlobs });
    expect(spy.mock.calls.map((c) => String(c[0]))).toContain(path.join(few.path.replace(few.id, `.tmp-${few.id}`), 'manifest.json'));
    spy.mockRestore();
    addBlobs(store, 20);
    const many = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(many.syncMethod).toBe(process.platform === 'linux' ? 'syncfs' : 'fsync');
    // A `sync` without -f (BusyBox, old coreutils): syncfs is unavailable, the backup falls
    // back to fsyncing each file and folder and still completes.
    const fakeBin = path.join(root, 'fake-bin');
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(path.join(fakeBin, 'sync'), "#!/bin/sh\necho \"sync: invalid option -- 'f'\" >&2\nexit 1\n", { mode: 0o755 });
    const pathBefore = process.env.PATH;
    process.env.PATH = `${fakeBin}${path.delimiter}${pathBefore ?? ''}`;
    let noSync;
    try {
      addBlobs(store, 20);
      noSync = await runBackup({ workspaceDir: ws, destDir: dest });
    } finally {
      process.env.PATH = pathBefore;
    }
    expect(noSync).toMatchObject({ syncMethod: 'fsync', copied: 20 });
    for (const b of [forced, few, many, noSync]) expect((await verifyBackup(b.path)).ok).toBe(true);
  });

  it('still verifies, lists and restores a format-1 backup (blobs inside its folder)', async () => {
    const { shas } = await demoWorkspace(ws, 5);
    const old = await runBackup({ workspaceDir: ws, destDir: dest });
    convertToFormat1(old.path);
    fs.rmSync(path.join(dest, 'blobs'), { recursive: true });
    expect(readManifest(old.path)).toMatchObject({ ok: true, manifest: { formatVersion: 1 } });
    expect((await verifyBackup(old.path)).problems).toEqual([]);
    expect(listBackups(dest)).toMatchObject([{ id: old.id, readable: true }]);
    const sha = shas[1] as string;
    // Format 1 was written when workspaces kept blobs at blobs/ab/cd/<sha>.
    const rel = `storage/blobs/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`;
    // A new backup next to it copies into the pool (a format-1 folder's files are not pool blobs).
    const next = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(next.linked).toBe(0);
    const restored = await cli('restore', '--backup', old.path, '--workspace', path.join(root, 'restored'), '--json');
    expect(restored.code).toBe(0);
    expect(blobSet(path.join(root, 'restored'))).toEqual(blobSet(ws));
    flipByte(path.join(old.path, rel));
    expect((await verifyBackup(old.path)).problems).toEqual([{ path: rel, problem: expect.stringMatching(/content hash is/) }]);
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

  it('fails cleanly when the backup disk goes away mid-copy: a clear error, no final-named backup, and the next run works once it is back', async () => {
    await demoWorkspace(ws, 60);
    const gone = `${dest}-unmounted`;
    let moved = false;
    const run = runBackup({
      workspaceDir: ws,
      destDir: dest,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (!moved && p.phase === 'blobs' && p.done >= 10) {
          moved = true;
          fs.renameSync(dest, gone);
        }
      },
    });
    const err = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(moved).toBe(true);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'STORAGE_IO', message: expect.stringContaining(dest) });
    // Nothing was written where the disk was, and nothing got a final name on the disk.
    expect(fs.existsSync(dest)).toBe(false);
    expect(fs.readdirSync(gone).filter((n) => BACKUP_NAME.test(n))).toEqual([]);
    fs.renameSync(gone, dest);
    const next = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(fs.readdirSync(dest).filter((n) => n.startsWith('.tmp-') || n === LOCK_FILE)).toEqual([]);
    expect((await verifyBackup(next.path)).ok).toBe(true);
    expect((await verifyWorkspace(ws)).ok).toBe(true);
  });

  it('fails cleanly when the backup disk fills: no final-named backup, no temp, and the next run works', async () => {
    await demoWorkspace(ws, 20);
    // Blobs are copied with fs.promises.copyFile (several at once): the 8th copy fails.
    const copyFile = fs.promises.copyFile;
    let calls = 0;
    vi.spyOn(fs.promises, 'copyFile').mockImplementation(async (src, target, mode) => {
      if (++calls === 8) throw Object.assign(new Error('ENOSPC: no space left on device, copyfile'), { code: 'ENOSPC' });
      return copyFile(src, target, mode);
    });
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
    expect(calls).toBeGreaterThanOrEqual(8);
    // Nothing left: no backup, no temp, and no pool blob the failed run had written.
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
    expect(fs.readdirSync(dest).sort()).toEqual(['blobs', done.id].sort());
  });

  it('runs one backup at a time per root, also within one process, and takes over the lock of a dead process', async () => {
    await demoWorkspace(ws, 1);
    const lock = path.join(dest, LOCK_FILE);
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(lock, JSON.stringify({ pid: live.pid, host: (await import('node:os')).hostname(), token: `${live.pid}-1` }));
      await expect(runBackup({ workspaceDir: ws, destDir: dest })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`process ${live.pid}`) });
    } finally {
      const exited = new Promise((resolve) => live.once('exit', resolve));
      live.kill();
      await exited;
    }
    // A lock of another thread of this process (a backup worker) counts as held.
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), instance: 'another-thread', token: 'another-thread-1' }));
    await expect(runBackup({ workspaceDir: ws, destDir: dest })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('(this MIDC)') });
    fs.rmSync(lock);
    // Two runs into one root from this thread: the second waits for nothing, it is refused.
    const first = runBackup({ workspaceDir: ws, destDir: dest });
    await expect(runBackup({ workspaceDir: ws, destDir: dest })).rejects.toMatchObject({ code: 'CONFLICT' });
    await first;
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    fs.writeFileSync(lock, JSON.stringify({ pid: dead, host: (await import('node:os')).hostname() }));
    const done = await runBackup({ workspaceDir: ws, destDir: dest });
    expect(fs.existsSync(lock)).toBe(false);
    expect((await verifyBackup(done.path)).ok).toBe(true);
  });
});
