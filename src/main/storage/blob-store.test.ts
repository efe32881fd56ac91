import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import { tempDir } from '../../../test/helpers/workspace';
import { BlobIntegrityError, BlobStore, TEMP_PREFIX } from './blob-store';
import { sha256 } from './durable-fs';
import { scrubBlobs } from './scrub';

let dir: string;
let cleanup: () => void;
let store: BlobStore;

beforeEach(() => {
  ({ dir, cleanup } = tempDir('midc-blobs-'));
  fs.mkdirSync(path.join(dir, 'storage'));
  store = new BlobStore(path.join(dir, 'storage'));
});

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

/** Every file under the root, relative: final objects and temps alike. */
function allFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(root, p)).isFile()).sort();
}

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe('BlobStore', () => {
  it('stores any bytes under their SHA-256 and reads back the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        const put = store.put(bytes);
        expect(put.sha256).toBe(sha256(bytes));
        expect(put.size).toBe(bytes.length);
        expect(store.path(put.sha256)).toBe(path.join(store.root, 'blobs', put.sha256.slice(0, 2), put.sha256));
        expect(store.has(put.sha256)).toBe(true);
        expect(Buffer.compare(store.get(put.sha256, { verify: true }), Buffer.from(bytes))).toBe(0);
        expect(store.put(bytes).existed).toBe(true);
      }),
      { numRuns: 60 },
    );
    expect(allFiles(store.root).some((f) => path.basename(f).startsWith(TEMP_PREFIX))).toBe(false);
  });

  it('stores the content of a file given by path', () => {
    const src = path.join(dir, 'image.dcm');
    fs.writeFileSync(src, Buffer.alloc(3 * 1024 * 1024 + 17, 7));
    const put = store.put(src);
    expect(put).toEqual({ sha256: sha256(fs.readFileSync(src)), size: 3 * 1024 * 1024 + 17, existed: false });
    expect(store.get(put.sha256, { verify: true }).length).toBe(put.size);
  });

  it('detects every single-byte corruption on a verified read and in a scrub', async () => {
    const cases: { sha: string; file: string }[] = [];
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2048 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, flip) => {
        const { sha256: sha } = store.put(bytes);
        const file = store.path(sha);
        const damaged = Buffer.from(fs.readFileSync(file));
        const i = at % damaged.length;
        damaged[i] = (damaged[i] as number) ^ flip;
        fs.writeFileSync(file, damaged);
        expect(() => store.get(sha, { verify: true })).toThrow(BlobIntegrityError);
        cases.push({ sha, file });
        // Restore the good copy: the next put of the same bytes must repair it.
        expect(store.put(bytes).existed).toBe(true);
        expect(store.get(sha, { verify: true }).length).toBe(bytes.length);
        fs.writeFileSync(file, damaged);
      }),
      { numRuns: 50 },
    );
    const report = await scrubBlobs(store.root);
    expect(new Set(report.bad.map((b) => path.basename(b.path)))).toEqual(new Set(cases.map((c) => c.sha)));
  });

  it('reports a damaged object as a typed DB_CORRUPT error that names the object', () => {
    const { sha256: sha } = store.put(Buffer.from('hello'));
    fs.writeFileSync(store.path(sha), 'hellp');
    try {
      store.get(sha, { verify: true });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BlobIntegrityError);
      expect((err as AppError).toData()).toMatchObject({ code: 'DB_CORRUPT', details: { sha256: sha, actual: sha256(Buffer.from('hellp')) } });
    }
    expect(store.get(sha).toString()).toBe('hellp');
  });

  it('fsyncs the file before the rename and the folder after it', () => {
    const fdPaths = new Map<number, string>();
    const events: string[] = [];
    const open = fs.openSync;
    vi.spyOn(fs, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
      const fd = (open as (...a: unknown[]) => number)(p, ...rest);
      fdPaths.set(fd, String(p));
      return fd;
    }) as typeof fs.openSync);
    const fsync = fs.fsyncSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
      events.push(`fsync ${fdPaths.get(fd)}`);
      fsync(fd);
    });
    const rename = fs.renameSync;
    vi.spyOn(fs, 'renameSync').mockImplementation((from: fs.PathLike, to: fs.PathLike) => {
      events.push(`rename ${String(from)} -> ${String(to)}`);
      rename(from, to);
    });
    const { sha256: sha } = store.put(Buffer.from('ordered'));
    const final = store.path(sha);
    const dirOf = path.dirname(final);
    const renameAt = events.findIndex((e) => e.startsWith('rename '));
    expect(renameAt).toBeGreaterThan(0);
    const temp = events[renameAt]!.split(' ')[1] as string;
    expect(path.basename(temp).startsWith(TEMP_PREFIX)).toBe(true);
    expect(path.dirname(temp)).toBe(dirOf);
    expect(events[renameAt]).toBe(`rename ${temp} -> ${final}`);
    const fileSync = events.indexOf(`fsync ${temp}`);
    const dirSync = events.lastIndexOf(`fsync ${dirOf}`);
    expect(fileSync).toBeGreaterThanOrEqual(0);
    expect(fileSync).toBeLessThan(renameAt);
    expect(dirSync).toBeGreaterThan(renameAt);
    // The new shard folder ab/ is made durable in its parent too.
    expect(events).toContain(`fsync ${path.join(store.root, 'blobs', sha.slice(0, 2))}`);
  });

  it('refuses a write to a read-only root cleanly, leaving nothing behind', () => {
    store.put(Buffer.from('warm up the folders'));
    const before = allFiles(store.root);
    const open = fs.openSync;
    vi.spyOn(fs, 'openSync').mockImplementation(((p: fs.PathLike, flags?: fs.OpenMode, ...rest: unknown[]) => {
      if (flags === 'wx') throw errnoError('EROFS');
      return (open as (...a: unknown[]) => number)(p, flags, ...rest);
    }) as typeof fs.openSync);
    vi.spyOn(fs, 'mkdirSync').mockImplementation(() => {
      throw errnoError('EROFS');
    });
    for (const bytes of [Buffer.from('new content'), Buffer.from('warm up the folders!')]) {
      try {
        store.put(bytes);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe('STORAGE_IO');
        expect((err as AppError).message).toContain(store.root);
        expect((err as AppError).message).toContain('read-only');
      }
    }
    vi.restoreAllMocks();
    expect(allFiles(store.root)).toEqual(before);
  });

  it('refuses a write to a root that vanished and does not recreate it', () => {
    fs.rmSync(store.root, { recursive: true });
    try {
      store.put(Buffer.from('x'));
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).code).toBe('STORAGE_IO');
      expect((err as AppError).message).toMatch(/missing.*mounted/);
      expect((err as AppError).message).toContain(store.root);
    }
    expect(fs.existsSync(store.root)).toBe(false);
    expect(() => store.get('a'.repeat(64))).toThrow(/missing/);
  });

  it('leaves neither a final-named object nor a temp when the disk fills mid-write', () => {
    const bytes = Buffer.alloc(100_000, 1);
    const write = fs.writeSync;
    let calls = 0;
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buf: Uint8Array, offset?: number, length?: number) => {
      calls++;
      if (calls === 2) throw errnoError('ENOSPC');
      // Short writes: the store must loop until everything is written.
      return (write as (...a: unknown[]) => number)(fd, buf, offset, Math.min(length ?? buf.length, 30_000));
    }) as typeof fs.writeSync);
    try {
      store.put(bytes);
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).code).toBe('STORAGE_IO');
      expect((err as AppError).message).toContain('no space left');
      expect((err as AppError).details).toMatchObject({ root: store.root, cause: 'ENOSPC' });
    }
    expect(store.has(sha256(bytes))).toBe(false);
    expect(allFiles(store.root)).toEqual([]);
    vi.restoreAllMocks();
    // The store keeps working once there is room again.
    expect(store.put(bytes).existed).toBe(false);
  });

  it('leaves no final-named object when fsync reports an I/O error', () => {
    vi.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      throw errnoError('EIO');
    });
    expect(() => store.put(Buffer.from('abc'))).toThrow(/I\/O error/);
    vi.restoreAllMocks();
    expect(allFiles(store.root).filter((f) => !f.endsWith('/'))).toEqual([]);
  });

  it('refuses content that does not match the expected hash', () => {
    expect(() => store.put(Buffer.from('a'), { expectedSha256: 'b'.repeat(64) })).toThrow(/not the expected/);
    expect(allFiles(store.root)).toEqual([]);
  });

  it('removes orphan temp files, sparing fresh ones unless told otherwise', () => {
    const { sha256: sha } = store.put(Buffer.from('keep me'));
    const orphan = path.join(path.dirname(store.path(sha)), `${TEMP_PREFIX}dead`);
    fs.writeFileSync(orphan, 'partial');
    expect(store.cleanupTemps().removed).toEqual([]);
    expect(store.cleanupTemps({ minAgeMs: 0 }).removed).toEqual([orphan]);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(store.has(sha)).toBe(true);
    expect([...store.entries()].map((e) => e.sha256)).toEqual([sha]);
  });
});
