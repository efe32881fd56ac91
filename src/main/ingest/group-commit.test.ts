import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { built, DICOM_FIXTURES } from '../../../test/helpers/built';
import { tempDir, testApp } from '../../../test/helpers/workspace';
import type { App } from '../app';
import { blobPath } from '../storage/blob-layout';
import { sha256 } from '../storage/durable-fs';
import { StoreSyncer } from '../storage/group-sync';
import { GroupCommitter } from './group-commit';
import { computePendingPixels, findNearDuplicates, importPaths } from './ingest-service';
import { setTag } from './ingest-repository';
import { imageTagHistory } from '../tagflow/tagflow-repository';

const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  cleanups.splice(0).forEach((c) => c());
});

function app(): App {
  const t = testApp();
  cleanups.push(t.cleanup);
  return t.app;
}

const worker = () => built('ingest-worker.js');
const CT = path.join(DICOM_FIXTURES, 'CT_small.dcm');
const MR = path.join(DICOM_FIXTURES, 'MR_small.dcm');

/** `n` distinct copies of CT_small (one byte of its SOP Instance UID changed) in a temp folder. */
function distinctCts(n: number): string {
  const { dir, cleanup } = tempDir('midc-group-');
  cleanups.push(cleanup);
  const ct = fs.readFileSync(CT);
  const uid = ct.indexOf(Buffer.from('1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322'));
  for (let i = 0; i < n; i++) {
    const copy = Buffer.from(ct);
    copy.write(String(i).padStart(5, '0'), uid + 40 - 5, 'ascii');
    fs.writeFileSync(path.join(dir, `ct-${String(i).padStart(3, '0')}.dcm`), copy);
  }
  return dir;
}

const count = (a: App, sql: string, ...params: unknown[]) => (a.services.db.prepare(sql).get(...params) as { n: number }).n;

describe('group commit of an import', () => {
  it('registers no file of a group before the whole group is durable', async () => {
    const a = app();
    const input = distinctCts(40);
    const seen: { files: string[]; registeredAtSync: number }[] = [];
    const realSync = StoreSyncer.prototype.sync;
    vi.spyOn(StoreSyncer.prototype, 'sync').mockImplementation(async function (this: StoreSyncer, files: readonly string[]) {
      // At the moment a group is synced, none of its blobs may be known to the database yet.
      const shas = files.map((f) => path.basename(f));
      const registered = shas.filter((s) => count(a, 'SELECT count(*) AS n FROM blobs WHERE sha256 = ?', s) > 0).length;
      seen.push({ files: [...files], registeredAtSync: registered });
      return realSync.call(this, files);
    });
    const report = await importPaths(a.services, [input], { actor: { id: null, name: 'test' }, workerFile: worker(), deferPixels: true });
    expect(report.imported).toBe(40);
    expect(seen.reduce((n, s) => n + s.files.length, 0)).toBe(40);
    for (const s of seen) expect(s.registeredAtSync).toBe(0);
    // Fewer syncs than files: groups, not one durability step per file.
    expect(seen.length).toBeLessThan(40);
  });

  it('reports the files of a group that could not be made durable and registers none of them', async () => {
    const a = app();
    const input = distinctCts(6);
    vi.spyOn(StoreSyncer.prototype, 'sync').mockRejectedValue(new Error('EIO: simulated write-back error'));
    const report = await importPaths(a.services, [input], { actor: { id: null, name: 'test' }, workerFile: worker(), deferPixels: true });
    expect(report.imported).toBe(0);
    expect(report.quarantined).toHaveLength(6);
    for (const q of report.quarantined) expect(q.reason).toMatch(/^ct-\d+\.dcm: could not be stored: EIO: simulated write-back error/);
    expect(count(a, 'SELECT count(*) AS n FROM images')).toBe(0);
    expect(count(a, 'SELECT count(*) AS n FROM blobs')).toBe(0);
    // Running it again when the disk is well finishes the job.
    vi.restoreAllMocks();
    const again = await importPaths(a.services, [input], { actor: { id: null, name: 'test' }, workerFile: worker(), deferPixels: true });
    expect(again.imported).toBe(6);
  });

  it('rewrites a blob left torn under its final name (renamed, never synced, then a power cut)', async () => {
    const a = app();
    const bytes = fs.readFileSync(CT);
    const sha = sha256(bytes);
    const final = blobPath(a.services.workspace.storageDir, sha);
    fs.mkdirSync(path.dirname(final), { recursive: true });
    fs.writeFileSync(final, bytes.subarray(0, 1000)); // what a crash may leave: a prefix
    const report = await importPaths(a.services, [CT], { actor: { id: null, name: 'test' }, workerFile: worker(), deferPixels: true });
    expect(report.items[0]).toMatchObject({ status: 'imported', sha256: sha });
    expect(sha256(fs.readFileSync(final))).toBe(sha);
  });

  it('records every tag read from the file and an import tag over it, with their history', async () => {
    const a = app();
    await importPaths(a.services, [CT], { actor: { id: null, name: 'test' }, workerFile: worker(), deferPixels: true, tags: { institution: 'Test Hospital', site: 'north', modality: 'CT' } });
    const db = a.services.db;
    const tags = db.prepare("SELECT key, value, origin FROM image_tags WHERE namespace = 'source' ORDER BY key").all() as { key: string; value: string; origin: string }[];
    const byKey = Object.fromEntries(tags.map((t) => [t.key, t]));
    expect(byKey.institution).toMatchObject({ value: 'Test Hospital', origin: 'import' });
    expect(byKey.site).toMatchObject({ value: 'north', origin: 'import' });
    expect(byKey.modality).toMatchObject({ value: 'CT', origin: 'file' }); // same value: unchanged
    expect(byKey.rows).toMatchObject({ value: '128', origin: 'file' });
    // Only the import tags that changed something are stored as history rows...
    const stored = db.prepare('SELECT key, old_value AS old, new_value AS new, changed_by AS by FROM image_tag_history ORDER BY id').all() as { key: string; old: string | null; new: string }[];
    const fileInstitution = stored.find((h) => h.key === 'institution')?.old;
    expect(fileInstitution).toBeTruthy();
    expect(stored).toEqual([
      { key: 'institution', old: fileInstitution, new: 'Test Hospital', by: null },
      { key: 'site', old: null, new: 'north', by: null },
    ]);
    // ...and the history shows every value read from the file as its tag's first change, at the import.
    const imageId = db.prepare('SELECT id FROM images').pluck().get() as number;
    const importedAt = db.prepare('SELECT imported_at FROM images').pluck().get() as string;
    const history = imageTagHistory(db, imageId).map((h) => ({ key: h.key, old: h.old_value, new: h.new_value, at: h.changed_at }));
    expect(history.filter((h) => h.key === 'institution')).toEqual([
      { key: 'institution', old: null, new: fileInstitution, at: importedAt },
      { key: 'institution', old: fileInstitution, new: 'Test Hospital', at: importedAt },
    ]);
    expect(history.filter((h) => h.key === 'modality')).toEqual([{ key: 'modality', old: null, new: 'CT', at: importedAt }]);
    expect(history.filter((h) => h.key === 'site')).toEqual([{ key: 'site', old: null, new: 'north', at: importedAt }]);
    // One first value per tag read from the file, plus the two import tags that changed something.
    expect(history).toHaveLength(tags.length + 1);
  });

  it('keeps the history of a file tag edited later, without showing the value read twice', async () => {
    const a = app();
    await importPaths(a.services, [CT], { actor: { id: null, name: 'test' }, workerFile: worker(), deferPixels: true });
    const db = a.services.db;
    const imageId = db.prepare('SELECT id FROM images').pluck().get() as number;
    const read = db.prepare("SELECT value FROM image_tags WHERE key = 'manufacturer'").pluck().get() as string;
    setTag(db, { imageId, namespace: 'source', key: 'manufacturer', value: 'Renamed', origin: 'user', at: '2030-01-01T00:00:00.000Z', by: null });
    setTag(db, { imageId, namespace: 'source', key: 'manufacturer', value: 'Renamed again', origin: 'user', at: '2030-01-02T00:00:00.000Z', by: null });
    const history = imageTagHistory(db, imageId).filter((h) => h.key === 'manufacturer').map((h) => [h.old_value, h.new_value]);
    expect(history).toEqual([
      [null, read],
      [read, 'Renamed'],
      ['Renamed', 'Renamed again'],
    ]);
  });

  it('audits the batch once with its counts', async () => {
    const a = app();
    await importPaths(a.services, [distinctCts(5), '/nonexistent/x.dcm'], { actor: { id: null, name: 'test' }, workerFile: worker(), deferPixels: true });
    const rows = a.services.db.prepare("SELECT details FROM audit_log WHERE action = 'images:import'").all() as { details: string }[];
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.details as string)).toMatchObject({ files: 6, imported: 5, duplicates: 0, quarantined: 1, cancelled: false });
  });
});

describe('the background pixel pass', () => {
  it('leaves thumbnails and hashes pending with deferPixels, then makes them durably', async () => {
    const a = app();
    const report = await importPaths(a.services, [CT, MR, path.join(DICOM_FIXTURES, 'JPEG-lossy.dcm')], {
      actor: { id: null, name: 'test' },
      workerFile: worker(),
      deferPixels: true,
    });
    expect(report.imported).toBe(3);
    expect(report.pixels).toBeUndefined();
    // Native CT and MR may be decodable: pending; the JPEG one is not viewable in Node either way.
    expect(count(a, 'SELECT count(*) AS n FROM images WHERE pixels_pending = 1')).toBeGreaterThanOrEqual(2);
    expect(count(a, 'SELECT count(*) AS n FROM images WHERE phash IS NOT NULL OR thumbnail_sha256 IS NOT NULL')).toBe(0);

    const progress: number[] = [];
    const pixels = await computePendingPixels(a.services, { workerFile: worker(), onPixelProgress: (p) => progress.push(p.done) });
    expect(pixels.withHash).toBe(2);
    expect(progress.at(-1)).toBe(pixels.processed);
    expect(count(a, 'SELECT count(*) AS n FROM images WHERE pixels_pending = 1')).toBe(0);
    const rows = a.services.db.prepare('SELECT i.phash, i.thumbnail_sha256 AS thumb, b.size FROM images i JOIN blobs b ON b.sha256 = i.thumbnail_sha256').all() as {
      phash: string;
      thumb: string;
      size: number;
    }[];
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.phash).toMatch(/^[0-9a-f]{16}$/);
      const file = blobPath(a.services.workspace.storageDir, r.thumb);
      expect(fs.statSync(file).size).toBe(r.size);
      expect(fs.readFileSync(file).subarray(1, 4).toString('latin1')).toBe('PNG');
    }
    // Nothing left to do: a second pass is a no-op.
    expect((await computePendingPixels(a.services, { workerFile: worker() })).processed).toBe(0);
  });

  it('runs after registering by default, so near-duplicates are found when the import returns', async () => {
    const a = app();
    const report = await importPaths(a.services, [MR, path.join(DICOM_FIXTURES, 'MR_small_implicit.dcm')], { actor: { id: null, name: 'test' }, workerFile: worker() });
    expect(report.pixels).toMatchObject({ processed: 2, withHash: 2 });
    expect(findNearDuplicates(a.services)).toHaveLength(1);
  });
});

describe('GroupCommitter', () => {
  it('commits items pushed during a commit together in the next group, in order', async () => {
    const groups: number[][] = [];
    let release: () => void = () => undefined;
    const first = new Promise<void>((r) => (release = r));
    const c = new GroupCommitter<number>(async (items) => {
      groups.push(items);
      if (groups.length === 1) await first;
    }, 3);
    c.push(1);
    for (const i of [2, 3, 4, 5]) c.push(i);
    release();
    await c.drain();
    expect(groups).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('stops at the first failed commit and reports it from drain()', async () => {
    const c = new GroupCommitter<number>(async (items) => {
      if (items.includes(2)) throw new Error('disk full');
    });
    c.push(1);
    c.push(2);
    await expect(c.drain()).rejects.toThrow('disk full');
  });
});
