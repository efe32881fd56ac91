import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBundlePath } from './bundle-path';
import { serveBundle } from './serve';

/**
 * A temp tree with a bundle root, files outside it, a sibling whose name starts with the
 * root's name (`bundle-evil`, the classic `startsWith` escape) and symlinks that point inside
 * and outside the root. Real fs.realpath throughout (RELIABILITY target 13).
 */
let base: string;
let root: string;
let secret: string;
let realRoot: string;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-bundle-'));
  root = path.join(base, 'bundle');
  secret = path.join(base, 'secret.txt');
  fs.mkdirSync(path.join(root, 'assets', 'sub'), { recursive: true });
  fs.mkdirSync(path.join(base, 'outside'));
  fs.mkdirSync(path.join(base, 'bundle-evil'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>MIDC</title>');
  fs.writeFileSync(path.join(root, 'assets', 'a.js'), 'export {};');
  fs.writeFileSync(path.join(root, 'assets', 'sub', 'b.css'), 'body{}');
  fs.writeFileSync(secret, 'PHI');
  fs.writeFileSync(path.join(base, 'outside', 'x.js'), 'steal()');
  fs.writeFileSync(path.join(base, 'bundle-evil', 'x.js'), 'steal()');
  fs.symlinkSync(path.join(root, 'assets', 'a.js'), path.join(root, 'link-in.js'));
  fs.symlinkSync(secret, path.join(root, 'escape.txt'));
  fs.symlinkSync('../secret.txt', path.join(root, 'assets', 'relative-escape.txt'));
  fs.symlinkSync(path.join(base, 'outside'), path.join(root, 'escape-dir'));
  fs.symlinkSync('/etc', path.join(root, 'etc'));
  realRoot = fs.realpathSync(root);
});

afterAll(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

function isInsideRoot(p: string): boolean {
  const rel = path.relative(realRoot, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

describe('resolveBundlePath', () => {
  it('serves files of the bundle, index.html for the root, and symlinks that stay inside', () => {
    expect(resolveBundlePath(root, '/')).toBe(path.join(realRoot, 'index.html'));
    expect(resolveBundlePath(root, '')).toBe(path.join(realRoot, 'index.html'));
    expect(resolveBundlePath(root, '/assets/a.js')).toBe(path.join(realRoot, 'assets', 'a.js'));
    expect(resolveBundlePath(root, '/assets/sub/b.css')).toBe(path.join(realRoot, 'assets', 'sub', 'b.css'));
    expect(resolveBundlePath(root, '//assets//a.js')).toBe(path.join(realRoot, 'assets', 'a.js'));
    expect(resolveBundlePath(root, '/link-in.js')).toBe(path.join(realRoot, 'assets', 'a.js'));
  });

  it('refuses the known escapes', () => {
    for (const p of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2e/%2e%2E/secret.txt',
      '/..%2fsecret.txt',
      '/assets%2f..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets\\..\\..\\secret.txt',
      '/..\\secret.txt',
      '/escape.txt',
      '/assets/relative-escape.txt',
      '/escape-dir/x.js',
      '/etc/passwd',
      '/etc/hostname',
      '/../bundle-evil/x.js',
      '/%2e%2e/bundle-evil/x.js',
      '/index.html%00.js',
      '/index.html\0',
      '/%E0%A4%A',
      '/assets',
      '/assets/',
      '/missing.js',
      secret,
      `/${secret}`,
      `file://${secret}`,
    ]) {
      expect(resolveBundlePath(root, p), p).toBeNull();
    }
  });

  it('never returns anything but an existing file inside the real root, for generated paths', () => {
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '',
        '%2e%2e',
        '%2E%2E',
        '%2e.',
        '.%2e',
        '%252e%252e',
        '%5c',
        '..%5c..',
        '\\',
        '..\\..',
        '%2f',
        '%00',
        '\0',
        '%',
        'index.html',
        'assets',
        'sub',
        'a.js',
        'b.css',
        'link-in.js',
        'escape.txt',
        'relative-escape.txt',
        'escape-dir',
        'x.js',
        'etc',
        'passwd',
        'secret.txt',
        'outside',
        'bundle',
        'bundle-evil',
        'C:',
        '~',
      ),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 4 }).map(encodeURIComponent),
    );
    const urlPath = fc
      .tuple(fc.constantFrom('/', '//', '', '/./', '\\'), fc.array(segment, { maxLength: 6 }), fc.constantFrom('/', '\\', '%2f', '%5c'))
      .map(([lead, segs, sep]) => lead + segs.join(sep));
    let served = 0;
    fc.assert(
      fc.property(fc.oneof(urlPath, fc.string()), (p) => {
        const result = resolveBundlePath(root, p);
        if (result === null) return;
        served++;
        expect(isInsideRoot(result), `${JSON.stringify(p)} → ${result}`).toBe(true);
        expect(fs.statSync(result).isFile()).toBe(true);
        expect(fs.readFileSync(result, 'utf8')).not.toMatch(/PHI|steal/);
      }),
      { numRuns: 3000 },
    );
    // The generator must reach real files too, or the property says nothing.
    expect(served).toBeGreaterThan(0);
  });

  it('answers 404 through serveBundle for every refused path', () => {
    expect(serveBundle(root, '/%2e%2e/secret.txt').status).toBe(404);
    expect(serveBundle(root, '/escape.txt').status).toBe(404);
    expect(serveBundle(root, '/assets/a.js').status).toBe(200);
  });
});
