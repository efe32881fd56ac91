import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../audit/canonical';
import { manifestChecksum, parseManifest, plainFileList, sealManifest, serializeManifest, type ManifestBody } from './manifest';

const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

function body(over: Partial<ManifestBody> = {}): ManifestBody {
  const a = sha('a');
  return {
    format: 'midc-backup',
    formatVersion: 2,
    id: 'midc-backup-20261206T010000Z-abcdef',
    createdAt: '2026-12-06T01:00:00.000Z',
    completedAt: '2026-12-06T01:00:01.000Z',
    appVersion: '0.1.0',
    schemaVersion: 9,
    source: { workspace: '/ws","files":[],"x \\', host: 'h' },
    database: { path: 'midc.sqlite', integrity: 'ok', tables: { files: 3, users: 1 } },
    audit: { entries: 1, head: sha('h'), ok: true, problems: [] },
    blobs: { count: 1, bytes: 5, reused: 0, copied: 1, skipped: [] },
    files: [
      { path: 'midc.sqlite', size: 4096, sha256: sha('db') },
      { path: `storage/blobs/${a.slice(0, 2)}/${a}`, size: 5, sha256: a },
    ],
    totals: { files: 2, bytes: 4101 },
    ...over,
  };
}

const text = (value: unknown) => JSON.stringify(value);

describe('the manifest, checked by hand (no zod on the backup path)', () => {
  it('checksums exactly as sha256(canonicalJson(body)), the fast path for the file list included', () => {
    const odd = body({ files: [{ path: 'storage/blobs/"quoted"\\ é', size: 2 ** 40, sha256: sha('o') }] });
    for (const b of [body(), body({ files: [] }), odd, body({ formatVersion: 1, blobs: { count: 1, bytes: 5, linked: 1, copied: 0, skipped: [] } })]) {
      expect(manifestChecksum(b)).toBe(crypto.createHash('sha256').update(canonicalJson(b)).digest('hex'));
    }
    const parsed = parseManifest(serializeManifest(sealManifest(body())).toString('utf8'));
    expect(parsed).toMatchObject({ ok: true, manifest: { formatVersion: 2 } });
  });

  it('names the field and the problem of a malformed manifest', () => {
    const sealed = (b: unknown) => text({ ...(b as object), checksum: 'x' });
    const error = (b: unknown) => {
      const r = parseManifest(sealed(b));
      return r.ok ? null : r.error;
    };
    expect(error({ ...body(), formatVersion: 3 })).toBe('manifest.json is malformed at formatVersion: expected 1 or 2 (this MIDC reads backup formats 1 and 2, the manifest says 3)');
    expect(error({ ...body(), files: [{ path: '../../etc/passwd', size: 1, sha256: sha('x') }] })).toBe('manifest.json is malformed at files.0.path: not a path a backup may hold');
    expect(error({ ...body(), files: [{ path: 'midc.sqlite', size: -1, sha256: sha('x') }] })).toBe('manifest.json is malformed at files.0.size: expected a whole number ≥ 0');
    expect(error({ ...body(), audit: { entries: 1, ok: true, problems: [] } })).toBe('manifest.json is malformed at audit.head: missing');
    expect(error({ ...body(), extra: 1 })).toBe('manifest.json is malformed at (root): unknown key "extra"');
    // Format 2 records `reused`, format 1 `linked`.
    expect(error({ ...body(), blobs: { count: 1, bytes: 5, linked: 0, copied: 1, skipped: [] } })).toBe('manifest.json is malformed at blobs.reused: missing');
    expect(error({ ...body(), createdAt: 'yesterday' })).toBe('manifest.json is malformed at createdAt: expected an ISO date-time');
    expect(parseManifest('[1]')).toEqual({ ok: false, error: 'manifest.json is not an object' });
    expect(parseManifest(text({ ...body(), checksum: 'x' }))).toEqual({ ok: false, error: 'manifest.json does not match its own checksum (edited or damaged)' });
  });

  it('accepts blob paths of any store layout in format 2, only the ab/cd layout in format 1', () => {
    const a = sha('a');
    const flat = { path: `storage/blobs/${a}`, size: 5, sha256: a };
    expect(parseManifest(serializeManifest(sealManifest(body({ files: [flat] }))).toString('utf8')).ok).toBe(true);
    const v1 = body({ formatVersion: 1, blobs: { count: 1, bytes: 5, linked: 0, copied: 1, skipped: [] }, files: [flat] });
    expect(parseManifest(serializeManifest(sealManifest(v1)).toString('utf8'))).toMatchObject({ ok: false, error: expect.stringMatching(/files\.0\.path: not a path a backup may hold/) });
  });

  it('takes a list of plain entries (what backups write) in one go, with the bytes canonicalJson gives, and nothing else', () => {
    const a = sha('a');
    const b = sha('b');
    const plain = [
      { path: 'midc.sqlite', sha256: sha('db'), size: 4096 },
      { path: `storage/blobs/${a.slice(0, 2)}/${a}`, sha256: a, size: 0 },
      { path: `storage/blobs/${b}`, sha256: b, size: 2 ** 40 },
    ];
    expect(plainFileList(plain, 2)).toBe(canonicalJson(plain));
    expect(plainFileList([], 2)).toBe('[]');
    const sealed = body({ files: plain });
    expect(manifestChecksum(sealed)).toBe(crypto.createHash('sha256').update(canonicalJson(sealed)).digest('hex'));
    expect(parseManifest(serializeManifest(sealManifest(sealed)).toString('utf8'))).toMatchObject({ ok: true, manifest: { files: plain } });
    // Anything else goes entry by entry: the general check names what is wrong, the general writer hashes it.
    const entry = plain[1] as { path: string; sha256: string; size: number };
    const notPlain: unknown[] = [
      { path: entry.path, size: entry.size, sha256: entry.sha256 }, // keys not in sorted order
      { ...entry, extra: 1 },
      { ...entry, size: -1 },
      { ...entry, size: 1.5 },
      { ...entry, size: '5' },
      { ...entry, sha256: entry.sha256.toUpperCase() },
      { ...entry, path: `storage/blobs/../${a}` },
      { ...entry, path: 'storage/blobs/"q"\\ é' },
      null,
      [entry.path],
    ];
    for (const odd of notPlain) expect(plainFileList([plain[0], odd], 2)).toBeNull();
    expect(plainFileList(plain, 3)).toBeNull();
    // Format 1 allows only the ab/cd layout, the back-references of its pattern included.
    const v1 = { path: `storage/blobs/${a.slice(0, 2)}/${a.slice(2, 4)}/${a}`, sha256: a, size: 5 };
    expect(plainFileList([v1], 1)).toBe(canonicalJson([v1]));
    expect(plainFileList([{ ...v1, path: `storage/blobs/${a.slice(0, 2)}/${b.slice(2, 4)}/${a}` }], 1)).toBeNull();
    expect(plainFileList([plain[2]], 1)).toBeNull();
    const bad = (files: unknown[]) => {
      const r = parseManifest(JSON.stringify({ ...body({ files: files as ManifestBody['files'] }), checksum: 'x' }));
      return r.ok ? null : r.error;
    };
    expect(bad([plain[0], { ...entry, path: `storage/blobs/../${a}` }])).toBe('manifest.json is malformed at files.1.path: not a path a backup may hold');
    expect(bad([plain[0], { ...entry, size: 1.5 }])).toBe('manifest.json is malformed at files.1.size: expected a whole number ≥ 0');
  });
});
