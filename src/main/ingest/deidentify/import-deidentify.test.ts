import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { built, DICOM_FIXTURES } from '../../../../test/helpers/built';
import { tempDir, testApp } from '../../../../test/helpers/workspace';
import type { App } from '../../app';
import { blobPath } from '../../storage/blob-layout';
import { parseDicom } from '../dicom-info';
import { importPaths, type ImportReport } from '../ingest-service';
import { encodeGreyPng } from '../png';
import { pixelBytes } from './test-support/pixels';
import { phiElements, phiPatterns, survivors } from './test-support/phi';
import { layoutOf, plant } from './test-support/plant';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function app(): App {
  const t = testApp();
  cleanups.push(t.cleanup);
  return t.app;
}

function folder(): string {
  const t = tempDir('midc-deid-');
  cleanups.push(t.cleanup);
  return t.dir;
}

const run = (a: App, inputs: string[], deidentify = true): Promise<ImportReport> =>
  importPaths(a.services, inputs, { actor: { id: null, name: 'test' }, workerFile: built('ingest-worker.js'), deidentify });

/** Every row of every table as text: the database must hold no planted string either. */
function databaseText(a: App): Buffer {
  const db = a.services.db;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return Buffer.from(tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n'), 'utf8');
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const SOURCES = ['CT_small.dcm', 'MR_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_RLE.dcm', 'JPEG-lossy.dcm', 'no_meta.dcm'];

describe('import with de-identification', () => {
  it('stores de-identified copies: no planted PHI in blobs or database, pixels identical, originals untouched', async () => {
    const dir = folder();
    const inputs = SOURCES.map((name, i) => {
      const original = new Uint8Array(fs.readFileSync(path.join(DICOM_FIXTURES, name)));
      const file = path.join(dir, `case-${i}.dcm`);
      fs.writeFileSync(file, plant(original, phiElements({ explicitOnly: layoutOf(original).enc.explicit })));
      return file;
    });
    const before = inputs.map(sha);
    for (const file of inputs) expect(survivors(fs.readFileSync(file)).length).toBeGreaterThan(0);

    const a = app();
    const report = await run(a, [dir]);
    // MR_small, its implicit and big-endian encodings hold the same UIDs: distinct files still.
    // no_meta is CT_small without File Meta: both de-identify to the same bytes, so whichever
    // the parallel workers register first is imported and the other is its duplicate.
    const statuses = report.items.map((i) => i.status);
    expect(statuses.slice(1, 6)).toEqual(['imported', 'imported', 'imported', 'imported', 'imported']);
    expect([statuses[0], statuses[6]].sort()).toEqual(['duplicate', 'imported']);
    expect(report.items[6]?.sha256).toBe(report.items[0]?.sha256);
    expect(inputs.map(sha)).toEqual(before);

    const storage = a.services.workspace.storageDir;
    const db = a.services.db;
    for (const [i, item] of report.items.entries()) {
      const stored = fs.readFileSync(blobPath(storage, item.sha256 as string));
      expect(survivors(stored), SOURCES[i]).toEqual([]);
      expect(crypto.createHash('sha256').update(stored).digest('hex')).toBe(item.sha256);
      const parsed = parseDicom(new Uint8Array(stored));
      expect(parsed.dataSet.string('x00120062')).toBe('YES');
      expect(pixelBytes(new Uint8Array(stored)).equals(pixelBytes(new Uint8Array(fs.readFileSync(inputs[i] as string))))).toBe(true);
    }
    expect(survivors(databaseText(a), phiPatterns())).toEqual([]);
    const rows = db.prepare('SELECT id, patient_id, study_instance_uid FROM images ORDER BY id').all() as { id: number; patient_id: string | null; study_instance_uid: string }[];
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row.patient_id).toBeNull();
      expect(row.study_instance_uid).toMatch(/^2\.25\./);
      const tags = Object.fromEntries(
        (db.prepare("SELECT key, value FROM image_tags WHERE image_id = ? AND namespace = 'source'").all(row.id) as { key: string; value: string }[]).map((t) => [t.key, t.value]),
      );
      expect(tags).toMatchObject({ deidentified: 'yes' });
      expect(tags.institution).toBeUndefined();
      expect(tags.operator).toBeUndefined();
      expect(tags.patient_id).toBeUndefined();
      expect(tags.acquisition_datetime).toMatch(/^\d{4}-\d\d-\d\d/);
    }
    const batch = db.prepare('SELECT options FROM import_batches WHERE id = ?').get(report.batch) as { options: string };
    expect(JSON.parse(batch.options)).toMatchObject({ deidentify: true });

    // A re-import maps identically: every file is a duplicate, nothing new is stored.
    const again = await run(a, [dir]);
    expect(again.items.map((i) => i.status)).toEqual(inputs.map(() => 'duplicate'));
  });

  it('refuses a file it cannot de-identify and does not keep its original', async () => {
    const dir = folder();
    fs.copyFileSync(path.join(DICOM_FIXTURES, 'MR_truncated.dcm'), path.join(dir, 'cut.dcm'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'Patient PHI99NOTE called');
    const a = app();
    const report = await run(a, [dir]);
    expect(report.items).toEqual([
      expect.objectContaining({ status: 'quarantined', sha256: null, reason: expect.stringMatching(/cut\.dcm: cannot be de-identified: .*truncated.*the original was not kept/) }),
      expect.objectContaining({ status: 'quarantined', sha256: null, reason: expect.stringMatching(/notes\.txt: cannot be de-identified: not a DICOM file/) }),
    ]);
    const blobs = path.join(a.services.workspace.storageDir, 'blobs');
    const files = fs.existsSync(blobs) ? fs.readdirSync(blobs, { recursive: true }).filter((f) => /[0-9a-f]{64}$/.test(String(f))) : [];
    expect(files).toEqual([]);
  });

  it('strips text chunks from PNG files and tags them', async () => {
    const dir = folder();
    const png = encodeGreyPng(4, 4, new Uint8Array(16).fill(128));
    const text = Buffer.from('Author\0PHI98PNGAUTHOR');
    const chunk = Buffer.alloc(12 + text.length);
    chunk.writeUInt32BE(text.length, 0);
    chunk.write('tEXt', 4, 'latin1');
    text.copy(chunk, 8);
    // The CRC is not checked by the stripper, which drops the chunk whole.
    const withText = Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
    fs.writeFileSync(path.join(dir, 'photo.png'), withText);
    const a = app();
    const report = await run(a, [dir]);
    expect(report.items[0]?.status).toBe('imported');
    const stored = fs.readFileSync(blobPath(a.services.workspace.storageDir, report.items[0]?.sha256 as string));
    expect(stored.includes(Buffer.from('PHI98PNGAUTHOR'))).toBe(false);
    expect(stored.equals(png)).toBe(true);
    const row = a.services.db.prepare("SELECT i.width, t.value FROM images i JOIN image_tags t ON t.image_id = i.id AND t.key = 'deidentified'").get();
    expect(row).toEqual({ width: 4, value: 'yes' });
  });

  it('stores files as they are without the option', async () => {
    const a = app();
    const report = await run(a, [path.join(DICOM_FIXTURES, 'MR_small.dcm')], false);
    const stored = fs.readFileSync(blobPath(a.services.workspace.storageDir, report.items[0]?.sha256 as string));
    expect(stored.equals(fs.readFileSync(path.join(DICOM_FIXTURES, 'MR_small.dcm')))).toBe(true);
    expect(a.services.db.prepare("SELECT count(*) AS n FROM image_tags WHERE key = 'deidentified'").get()).toEqual({ n: 0 });
  });
});
