import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/workspace';
import { Hasher } from './hasher';
import { copyFileHashed } from './parallel-fs';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('midc-parallel-fs-')));
afterEach(() => cleanup());

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('copyFileHashed: kernel copy, then the copy read back and hashed', () => {
  it('records the hash of the bytes in the copy, with the hash workers and without', async () => {
    const hasher = new Hasher(2);
    try {
      for (const size of [0, 1, 128 * 1024, 300_000, 2 * 2 ** 20]) {
        const bytes = crypto.randomBytes(size);
        const src = path.join(dir, `src-${size}`);
        fs.writeFileSync(src, bytes);
        const viaWorkers = await copyFileHashed(src, path.join(dir, `w-${size}`), { expectSha256: sha(bytes), hashFile: (f) => hasher.hashFile(f) });
        const here = await copyFileHashed(src, path.join(dir, `h-${size}`), { expectSha256: sha(bytes) });
        for (const [r, name] of [[viaWorkers, 'w'], [here, 'h']] as const) {
          expect(r).toEqual({ sha256: sha(bytes), size, written: true });
          expect(fs.readFileSync(path.join(dir, `${name}-${size}`)).equals(bytes)).toBe(true);
        }
      }
    } finally {
      hasher.close();
    }
  });

  it('streams a file larger than 16 MiB through a chunked hash', async () => {
    const bytes = crypto.randomBytes(17 * 2 ** 20);
    const src = path.join(dir, 'big');
    fs.writeFileSync(src, bytes);
    expect(await copyFileHashed(src, path.join(dir, 'big-copy'), { expectSha256: sha(bytes) })).toEqual({ sha256: sha(bytes), size: bytes.length, written: true });
  });

  it('removes a copy whose content does not hash to the expected name, and never overwrites', async () => {
    const bytes = crypto.randomBytes(1000);
    const src = path.join(dir, 'src');
    fs.writeFileSync(src, bytes);
    const wrong = sha(Buffer.from('something else'));
    expect(await copyFileHashed(src, path.join(dir, 'copy'), { expectSha256: wrong })).toEqual({ sha256: sha(bytes), size: 1000, written: false });
    expect(fs.existsSync(path.join(dir, 'copy'))).toBe(false);
    fs.writeFileSync(path.join(dir, 'taken'), 'keep me');
    await expect(copyFileHashed(src, path.join(dir, 'taken'))).rejects.toMatchObject({ code: 'EEXIST' });
    expect(fs.readFileSync(path.join(dir, 'taken'), 'utf8')).toBe('keep me');
  });
});
