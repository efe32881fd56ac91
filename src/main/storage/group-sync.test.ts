import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../../test/helpers/workspace';
import { BlobStore, TEMP_PREFIX } from './blob-store';
import { sha256 } from './durable-fs';
import { StoreSyncer } from './group-sync';

let dir: string;
let cleanup: () => void;
let store: BlobStore;

beforeEach(() => {
  ({ dir, cleanup } = tempDir('midc-group-sync-'));
  fs.mkdirSync(path.join(dir, 'storage'));
  store = new BlobStore(path.join(dir, 'storage'));
});

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

const bytesOf = (text: string) => new Uint8Array(Buffer.from(text));

describe('BlobStore.putDeferred', () => {
  it('writes the object under its hash through a temp file, without any fsync of its own', () => {
    const fsync = vi.spyOn(fs, 'fsyncSync');
    const bytes = bytesOf('deferred object');
    const put = store.putDeferred(bytes, sha256(bytes));
    expect(put).toMatchObject({ sha256: sha256(bytes), size: bytes.length, existed: false, file: store.path(sha256(bytes)) });
    expect(fs.readFileSync(put.file).equals(Buffer.from(bytes))).toBe(true);
    expect(fs.readdirSync(path.dirname(put.file)).filter((n) => n.startsWith(TEMP_PREFIX))).toEqual([]);
    expect(fsync).not.toHaveBeenCalled();
  });

  it('keeps an intact existing object and replaces one whose bytes do not match its name', () => {
    const bytes = bytesOf('the same content twice');
    const digest = sha256(bytes);
    store.putDeferred(bytes, digest);
    const rename = vi.spyOn(fs, 'renameSync');
    expect(store.putDeferred(bytes, digest).existed).toBe(true);
    expect(rename).not.toHaveBeenCalled();
    fs.writeFileSync(store.path(digest), ''); // torn by a power cut before its group was synced
    expect(store.putDeferred(bytes, digest).existed).toBe(true);
    expect(rename).toHaveBeenCalledTimes(1);
    expect(sha256(fs.readFileSync(store.path(digest)))).toBe(digest);
  });

  it('leaves no temp file behind when the write fails', () => {
    vi.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' });
    });
    const bytes = bytesOf('no room');
    expect(() => store.putDeferred(bytes, sha256(bytes))).toThrow(/no space left on the device/);
    const folder = path.dirname(store.path(sha256(bytes)));
    expect(fs.readdirSync(folder)).toEqual([]);
  });
});

describe('StoreSyncer', () => {
  it('makes a group durable with one syncfs of the store on Linux', async () => {
    const bytes = bytesOf('synced by syncfs');
    const put = store.putDeferred(bytes, sha256(bytes));
    const syncer = new StoreSyncer(store.root);
    try {
      const fsync = vi.spyOn(fs, 'open');
      expect(await syncer.sync([put.file])).toBe(process.platform === 'linux' ? 'syncfs' : 'fsync');
      expect(await syncer.sync([put.file])).toBe(process.platform === 'linux' ? 'syncfs' : 'fsync');
      if (process.platform === 'linux') expect(fsync).not.toHaveBeenCalled();
    } finally {
      syncer.close();
    }
  });

  it('fsyncs every file and every folder up to the root when syncfs is not used', async () => {
    const files = ['one', 'two', 'three'].map((t) => store.putDeferred(bytesOf(t), sha256(bytesOf(t))).file);
    const synced: string[] = [];
    // fsyncPath opens by path and fsyncs the descriptor (callback API): which path each fsync was for.
    const opened = new Map<number, string>();
    const open = fs.open.bind(fs) as (p: fs.PathLike, flags: string, cb: (err: NodeJS.ErrnoException | null, fd: number) => void) => void;
    vi.spyOn(fs, 'open').mockImplementation(((p: fs.PathLike, flags: string, cb: (err: NodeJS.ErrnoException | null, fd: number) => void) =>
      open(p, flags, (err, fd) => {
        if (!err) opened.set(fd, String(p));
        cb(err, fd);
      })) as unknown as typeof fs.open);
    const fsync = fs.fsync.bind(fs);
    vi.spyOn(fs, 'fsync').mockImplementation(((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      synced.push(opened.get(fd) ?? `fd ${fd}`);
      fsync(fd, cb);
    }) as typeof fs.fsync);
    const syncer = new StoreSyncer(store.root, { method: 'fsync' });
    expect(await syncer.sync(files)).toBe('fsync');
    const expected = new Set([...files, store.root, path.join(store.root, 'blobs')]);
    for (const f of files) {
      expected.add(path.dirname(f));
      expected.add(path.dirname(path.dirname(f)));
    }
    expect(new Set(synced)).toEqual(expected);
  });

  it('turns a failed fsync into a storage error naming the root', async () => {
    const syncer = new StoreSyncer(store.root, { method: 'fsync' });
    await expect(syncer.sync([path.join(store.root, 'blobs', 'missing')])).rejects.toMatchObject({
      code: 'STORAGE_IO',
      message: expect.stringContaining(store.root),
    });
  });
});
