import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { built } from '../../../test/helpers/built';
import { tempDir, testApp } from '../../../test/helpers/workspace';
import { importPaths } from './ingest-service';
import { decodePngLuminance, encodeGreyPng, readPngHeader } from './png';
import { differenceHash, hammingDistance } from './pixels';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('PNG', () => {
  it('round-trips greyscale pixels through our encoder and decoder', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.nat(), (w, h, seed) => {
        const pixels = Uint8Array.from({ length: w * h }, (_, i) => (i * 31 + seed) & 0xff);
        const png = encodeGreyPng(w, h, pixels);
        expect(readPngHeader(png)).toMatchObject({ width: w, height: h, bitDepth: 8, colorType: 0 });
        const decoded = decodePngLuminance(png);
        expect(decoded && Array.from(decoded.values)).toEqual(Array.from(pixels));
      }),
      { numRuns: 50 },
    );
  });

  it('is imported with its size and a pixel hash, and a brightened copy is a near-duplicate', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const w = 64;
    const h = 48;
    const base = Uint8Array.from({ length: w * h }, (_, i) => ((i % w) * 3 + Math.floor(i / w) * 2) & 0xff);
    const brighter = base.map((v) => Math.min(255, v + 10));
    fs.writeFileSync(path.join(t.dir, 'a.png'), encodeGreyPng(w, h, base));
    fs.writeFileSync(path.join(t.dir, 'b.png'), encodeGreyPng(w, h, brighter));
    const decodedA = decodePngLuminance(encodeGreyPng(w, h, base));
    const decodedB = decodePngLuminance(encodeGreyPng(w, h, brighter));
    expect(decodedA && decodedB && hammingDistance(differenceHash(decodedA), differenceHash(decodedB))).toBeLessThanOrEqual(4);

    const { app, cleanup } = testApp();
    cleanups.push(cleanup);
    const report = await importPaths(app.services, [t.dir], { actor: { id: null, name: 't' }, workerFile: built('ingest-worker.js') });
    expect(report.imported).toBe(2);
    const rows = app.services.db.prepare('SELECT kind, width, height, phash FROM images ORDER BY original_name').all() as { kind: string; width: number; height: number; phash: string }[];
    expect(rows.map((r) => [r.kind, r.width, r.height])).toEqual([
      ['png', 64, 48],
      ['png', 64, 48],
    ]);
    expect(rows[0]?.phash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('quarantines a file that claims to be a PNG but is malformed', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const png = encodeGreyPng(4, 4, new Uint8Array(16));
    fs.writeFileSync(path.join(t.dir, 'broken.png'), png.subarray(0, 20));
    const { app, cleanup } = testApp();
    cleanups.push(cleanup);
    const report = await importPaths(app.services, [t.dir], { actor: { id: null, name: 't' }, workerFile: built('ingest-worker.js') });
    expect(report.quarantined).toEqual([{ path: path.join(t.dir, 'broken.png'), reason: expect.stringMatching(/PNG file is malformed/) }]);
  });
});
