import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../cli/run';
import { BlobStore, walkBlobs } from '../../storage/blob-store';
import { AuditLog } from '../../audit/audit-log';
import { openDatabase } from '../../db/database';
import { ensureWorkspaceDirs } from '../../workspace/prepare';
import { workspaceLayout } from '../../workspace/workspace';
import { readManifest } from '../backup';
import { DB_FILE, MANIFEST_FILE, POOL_DIR, poolPath, sealManifest, serializeManifest, type ManifestBody } from '../manifest';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `midc ...` in process and captures both streams. */
export async function cli(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, {});
  return { code, stdout, stderr };
}

/**
 * `midc init --demo` into `dir`, then `blobs` random objects put into its store. `demoBlobs`
 * is how many blobs the demo itself stored (it grows as modules add demo content).
 */
export async function demoWorkspace(dir: string, blobs: number): Promise<{ store: BlobStore; shas: string[]; demoBlobs: number }> {
  const init = await cli('init', '--demo', '--workspace', dir, '--json');
  if (init.code !== 0) throw new Error(`midc init failed: ${init.stderr}`);
  const store = new BlobStore(workspaceLayout(dir).storageDir);
  const demoBlobs = [...walkBlobs(store.root)].length;
  return { store, shas: addBlobs(store, blobs), demoBlobs };
}

export function addBlobs(store: BlobStore, n: number, size = 512): string[] {
  return Array.from({ length: n }, () => store.put(crypto.randomBytes(1 + crypto.randomInt(size))).sha256);
}

/** Flips one byte of a file in place. */
export function flipByte(file: string, at = 0): void {
  const bytes = fs.readFileSync(file);
  const i = Math.min(at, bytes.length - 1);
  bytes[i] = (bytes[i] as number) ^ 0xff;
  fs.writeFileSync(file, bytes);
}

export function finalBackups(dest: string): string[] {
  return fs
    .readdirSync(dest)
    .filter((n) => n.startsWith('midc-backup-'))
    .map((n) => path.join(dest, n))
    .sort();
}

/**
 * A workspace made without `createApp` (database migrated, a few audited settings rows, `blobs`
 * random objects): for backup tests that must not depend on every IPC handler being present.
 */
export function plainWorkspace(dir: string, blobs: number): { store: BlobStore; shas: string[] } {
  const ws = workspaceLayout(dir);
  ensureWorkspaceDirs(ws);
  const db = openDatabase(ws.dbFile);
  try {
    const audit = new AuditLog();
    for (let i = 0; i < 5; i++) {
      db.transaction(() => {
        db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(`fixture-${i}`, JSON.stringify(i));
        audit.record(db, { actorId: null, actorName: 'fixture', action: 'fixture:write', objectType: 'setting', objectId: i, outcome: 0 });
      })();
    }
  } finally {
    db.close();
  }
  const store = new BlobStore(ws.storageDir);
  return { store, shas: addBlobs(store, blobs) };
}

/** Where a blob of a format-2 backup in `dest` lives: the root's pool. */
export function poolFile(dest: string, sha256: string): string {
  return poolPath(dest, sha256);
}

/** The hashes of the blob files in the pool of `dest`. */
export function poolBlobs(dest: string): string[] {
  const pool = path.join(dest, POOL_DIR);
  if (!fs.existsSync(pool)) return [];
  return fs
    .readdirSync(pool)
    .flatMap((prefix) => fs.readdirSync(path.join(pool, prefix)))
    .sort();
}

/**
 * Turns a format-2 backup into the format-1 layout that older MIDC versions wrote: every blob
 * inside the folder at its workspace path, manifest version 1 (`linked` instead of `reused`),
 * sealed again. For tests that older backups still verify and restore.
 */
export function convertToFormat1(backupPath: string): void {
  const loaded = readManifest(backupPath);
  if (!loaded.ok) throw new Error(loaded.error);
  const m = loaded.manifest;
  const dest = path.dirname(backupPath);
  // Format 1 was written when workspaces kept their blobs at storage/blobs/ab/cd/<sha256>.
  const files = m.files.map((f) => (f.path === DB_FILE ? f : { ...f, path: `storage/blobs/${f.sha256.slice(0, 2)}/${f.sha256.slice(2, 4)}/${f.sha256}` }));
  for (const f of files) {
    if (f.path === DB_FILE) continue;
    const target = path.join(backupPath, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(poolPath(dest, f.sha256), target);
  }
  const { checksum: _checksum, blobs, ...rest } = m;
  void _checksum;
  const { reused, ...blobRest } = blobs;
  const body: ManifestBody = { ...rest, files, formatVersion: 1, blobs: { ...blobRest, linked: reused ?? 0 } };
  fs.writeFileSync(path.join(backupPath, MANIFEST_FILE), serializeManifest(sealManifest(body)));
}
