import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupManifest } from './manifest';
import { PoolIndex } from './pool-index';

const sha = (c: string): string => c.repeat(64);
const A = sha('a');
const B = sha('b');
const C = sha('c');
const D = sha('d');
const NEWEST = 'midc-backup-20261201T020000Z-bbbbbb';
const OLDER = 'midc-backup-20261130T020000Z-aaaaaa';

let root: string;

/** A manifest as PoolIndex reads it: the blobs it references (hash → size). */
function manifest(refs: Map<string, number> | null): BackupManifest | null {
  if (!refs) return null;
  const files = [...refs].map(([sha256, size]) => ({ path: `storage/blobs/${sha256.slice(0, 2)}/${sha256}`, size, sha256 }));
  return { formatVersion: 2, files } as unknown as BackupManifest;
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-pool-index-'));
  for (const name of [OLDER, NEWEST]) fs.mkdirSync(path.join(root, name));
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function poolBlob(hash: string, size: number): void {
  fs.mkdirSync(path.join(root, 'blobs', hash.slice(0, 2)), { recursive: true });
  fs.writeFileSync(path.join(root, 'blobs', hash.slice(0, 2), hash), Buffer.alloc(size));
}

describe('PoolIndex', () => {
  it('decides per blob from the newest readable manifest, the pool listing and, for other pool files, the older manifests', () => {
    const manifests: Record<string, Map<string, number> | null> = {
      [NEWEST]: new Map([
        [A, 10],
        [B, 20],
      ]),
      [OLDER]: new Map([[C, 30]]),
    };
    poolBlob(A, 3); // referenced by the newest: trusted by name, its recorded size is used
    poolBlob(C, 30); // referenced by an older one with this size
    poolBlob(D, 40); // referenced by none (a killed run's copy)
    const read: string[] = [];
    const index = new PoolIndex(root, (backupPath) => {
      read.push(path.basename(backupPath));
      return manifest(manifests[path.basename(backupPath)] ?? null);
    });
    expect(index.state(A)).toEqual({ kind: 'reuse', size: 10 });
    expect(read).toEqual([NEWEST]);
    // Lost from the pool although the newest references it: copied again, as a repair.
    expect(index.state(B)).toEqual({ kind: 'absent', repair: true });
    expect(index.state(sha('e'))).toEqual({ kind: 'absent', repair: false });
    expect(read).toEqual([NEWEST]);
    expect(index.state(C)).toEqual({ kind: 'reuse', size: 30 });
    expect(index.state(D)).toEqual({ kind: 'untrusted' });
    expect(read).toEqual([NEWEST, NEWEST, OLDER]);
  });

  it('does not trust an older manifest for a pool file of another size, and skips an unreadable newest manifest', () => {
    poolBlob(C, 7);
    const refs = (newest: Map<string, number> | null) => (backupPath: string) => manifest(path.basename(backupPath) === OLDER ? new Map([[C, 30]]) : newest);
    expect(new PoolIndex(root, refs(new Map([[A, 10]]))).state(C)).toEqual({ kind: 'untrusted' });
    // With the newest manifest unreadable, the older one is the newest readable one.
    expect(new PoolIndex(root, refs(null)).state(C)).toEqual({ kind: 'reuse', size: 30 });
    fs.rmSync(path.join(root, 'blobs', 'cc', C));
    expect(new PoolIndex(root, refs(null)).state(C)).toEqual({ kind: 'absent', repair: true });
  });

  it('has every blob absent in a root without a pool', () => {
    const index = new PoolIndex(root, () => {
      throw new Error('no manifest needs reading');
    });
    expect(index.state(A)).toEqual({ kind: 'absent', repair: false });
  });
});
