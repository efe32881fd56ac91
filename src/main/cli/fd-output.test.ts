import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../../test/helpers/workspace';
import { writeOutput } from './fd-output';

const tmp = tempDir('midc-fd-output-');
afterAll(() => tmp.cleanup());
afterEach(() => vi.restoreAllMocks());

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('writeOutput: the midc binary writes its output completely, synchronously', () => {
  it('writes every byte of a text, UTF-8, across short writes', () => {
    const file = path.join(tmp.dir, 'out.txt');
    const fd = fs.openSync(file, 'w');
    const write = fs.writeSync.bind(fs) as (fd: number, b: Buffer, off: number, len: number) => number;
    // The kernel may take fewer bytes than asked (a pipe nearly full): at most 5 per call here.
    vi.spyOn(fs, 'writeSync').mockImplementation(((f: number, b: Buffer, off: number, len: number) => write(f, b, off, Math.min(len, 5))) as typeof fs.writeSync);
    writeOutput(fd, '备份 done: 12 files\n');
    fs.closeSync(fd);
    expect(fs.readFileSync(file, 'utf8')).toBe('备份 done: 12 files\n');
  });

  it('retries a write refused with EAGAIN (a non-blocking descriptor) until it goes through', () => {
    const file = path.join(tmp.dir, 'again.txt');
    const fd = fs.openSync(file, 'w');
    const write = fs.writeSync.bind(fs) as (fd: number, b: Buffer, off: number, len: number) => number;
    let refusals = 3;
    vi.spyOn(fs, 'writeSync').mockImplementation(((f: number, b: Buffer, off: number, len: number) => {
      if (refusals-- > 0) throw errno('EAGAIN');
      return write(f, b, off, len);
    }) as typeof fs.writeSync);
    writeOutput(fd, '{"ok":true}\n');
    fs.closeSync(fd);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"ok":true}\n');
    expect(refusals).toBe(-1);
  });

  it('stops quietly when the reader went away (EPIPE) and throws any other error', () => {
    vi.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw errno('EPIPE');
    });
    expect(() => writeOutput(1, 'ignored\n')).not.toThrow();
    vi.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw errno('EIO');
    });
    expect(() => writeOutput(1, 'lost\n')).toThrow(/EIO/);
  });
});
