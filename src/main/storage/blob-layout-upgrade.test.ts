import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../app';
import { tempDir } from '../../../test/helpers/workspace';
import { verifyWorkspace } from '../cli/commands/verify';
import { blobPath, layout1BlobPath, SHARDS } from './blob-layout';
import { LAYOUT_MARKER, prepareBlobStorage } from './blob-layout-upgrade';
import { BlobStore } from './blob-store';

const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  while (cleanups.length) cleanups.pop()?.();
});

function storage(): string {
  const t = tempDir('midc-layout-');
  cleanups.push(t.cleanup);
  return path.join(t.dir, 'storage');
}

/** Writes `bytes` where layout 1 kept them: blobs/ab/cd/<sha256>. */
function writeLayout1(root: string, bytes: Buffer): string {
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const dir = path.join(root, 'blobs', sha.slice(0, 2), sha.slice(2, 4));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, sha), bytes);
  return sha;
}

describe('blob store layout 2 (blobs/ab/<sha256>)', () => {
  it('makes the 256 shard folders and the marker once; storing then creates no folder', () => {
    const root = storage();
    expect(prepareBlobStorage(root)).toEqual({ moved: 0, strays: [] });
    expect(fs.readdirSync(path.join(root, 'blobs')).sort()).toEqual([...SHARDS]);
    expect(fs.existsSync(path.join(root, LAYOUT_MARKER))).toBe(true);
    const mkdir = vi.spyOn(fs, 'mkdirSync');
    const put = new BlobStore(root).putDeferred(Buffer.from('an object'), crypto.createHash('sha256').update('an object').digest('hex'));
    expect(put.file).toBe(blobPath(root, put.sha256));
    expect(mkdir).not.toHaveBeenCalled();
    // Done once: a second call touches nothing.
    expect(prepareBlobStorage(root)).toEqual({ moved: 0, strays: [] });
  });

  it('moves layout-1 objects up, keeps temps and strays, and the objects read back verified', () => {
    const root = storage();
    const objects = Array.from({ length: 40 }, (_, i) => Buffer.from(`object ${i}`));
    const shas = objects.map((b) => writeLayout1(root, b));
    const legacy = path.dirname(path.join(root, 'blobs', shas[0]!.slice(0, 2), shas[0]!.slice(2, 4), shas[0]!));
    fs.writeFileSync(path.join(legacy, '.tmp-being-written'), 'half');
    const upgrade = prepareBlobStorage(root);
    expect(upgrade.moved).toBe(40);
    expect(upgrade.strays).toEqual([]);
    const store = new BlobStore(root);
    shas.forEach((sha, i) => expect(store.get(sha, { verify: true }).equals(objects[i]!)).toBe(true));
    // Emptied layout-1 folders are gone; the one with a temp in it stays for the startup clean-up.
    const second = shas.map((sha) => path.join(root, 'blobs', sha.slice(0, 2), sha.slice(2, 4)));
    expect(second.filter((d) => fs.existsSync(d))).toEqual([legacy]);
    expect(fs.readdirSync(legacy)).toEqual(['.tmp-being-written']);
  });

  it('finishes a run cut short: objects under either name end under the new one, intact copy kept', () => {
    const root = storage();
    const a = writeLayout1(root, Buffer.from('moved before the crash'));
    const b = writeLayout1(root, Buffer.from('not moved yet'));
    // The crash: a was renamed already (its old folder still there, empty); no marker.
    fs.mkdirSync(path.join(root, 'blobs', a.slice(0, 2)), { recursive: true });
    fs.renameSync(path.join(root, 'blobs', a.slice(0, 2), a.slice(2, 4), a), blobPath(root, a));
    // And a torn copy of b was written under the new name by an import in between.
    fs.mkdirSync(path.dirname(blobPath(root, b)), { recursive: true });
    fs.writeFileSync(blobPath(root, b), 'not m');
    expect(prepareBlobStorage(root).moved).toBe(1);
    const store = new BlobStore(root);
    expect(store.get(a, { verify: true }).toString()).toBe('moved before the crash');
    expect(store.get(b, { verify: true }).toString()).toBe('not moved yet');
  });

  it('reports files that are not objects and leaves them where they are', () => {
    const root = storage();
    const sha = writeLayout1(root, Buffer.from('x'));
    const stray = path.join(root, 'blobs', sha.slice(0, 2), sha.slice(2, 4), 'notes.txt');
    fs.writeFileSync(stray, 'someone put this here');
    expect(prepareBlobStorage(root).strays).toEqual([stray]);
    expect(fs.readFileSync(stray, 'utf8')).toBe('someone put this here');
  });

  it('midc verify accepts a layout-1 store as it is (read only); the next opening moves it', async () => {
    const t = tempDir('midc-layout-verify-');
    cleanups.push(t.cleanup);
    const first = createApp({ workspaceDir: t.dir, host: 'cli', appOrigin: 'cli:' });
    const storageDir = first.services.workspace.storageDir;
    const { sha256: sha } = new BlobStore(storageDir).put(Buffer.from('registered'));
    first.services.db.prepare("INSERT INTO blobs (sha256, size, created_at) VALUES (?, 10, 'now')").run(sha);
    first.close();
    // Back to how an older MIDC left it.
    fs.mkdirSync(path.dirname(layout1BlobPath(storageDir, sha)), { recursive: true });
    fs.renameSync(blobPath(storageDir, sha), layout1BlobPath(storageDir, sha));
    fs.rmSync(path.join(storageDir, LAYOUT_MARKER));
    const report = await verifyWorkspace(t.dir);
    expect(report.blobs.bad).toEqual([]);
    expect(report.ok).toBe(true);
    expect(fs.existsSync(layout1BlobPath(storageDir, sha))).toBe(true);
    const second = createApp({ workspaceDir: t.dir, host: 'cli', appOrigin: 'cli:' });
    cleanups.unshift(() => second.close());
    expect(fs.readFileSync(blobPath(storageDir, sha), 'utf8')).toBe('registered');
    expect((await verifyWorkspace(t.dir)).ok).toBe(true);
  });

  it('an app opening a layout-1 workspace serves its blobs from the new paths', () => {
    const t = tempDir('midc-layout-app-');
    cleanups.push(t.cleanup);
    const sha = writeLayout1(path.join(t.dir, 'storage'), Buffer.from('an old workspace'));
    const app = createApp({ workspaceDir: t.dir, host: 'cli', appOrigin: 'cli:' });
    cleanups.unshift(() => app.close());
    expect(fs.readFileSync(blobPath(app.services.workspace.storageDir, sha), 'utf8')).toBe('an old workspace');
  });
});
