import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { built, DICOM_FIXTURES } from '../../../test/helpers/built';
import { tempDir, testApp } from '../../../test/helpers/workspace';
import type { App } from '../app';
import { blobPath } from '../storage/blob-layout';
import { hashFileSync } from '../storage/durable-fs';
import { scrubBlobs } from '../storage/scrub';
import { findNearDuplicates, importPaths, type ImportReport } from './ingest-service';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function app(): App {
  const t = testApp();
  cleanups.push(t.cleanup);
  return t.app;
}

function run(a: App, inputs: string[], tags?: Record<string, string>): Promise<ImportReport> {
  return importPaths(a.services, inputs, { actor: { id: null, name: 'test' }, workerFile: built('ingest-worker.js'), tags });
}

const fate = (r: ImportReport, name: string) => r.items.find((i) => path.basename(i.path) === name);

describe('importing the real fixture files', () => {
  it('gives each file the fate its README table asks for', async () => {
    const a = app();
    const report = await run(a, [DICOM_FIXTURES], { institution: 'Test Hospital' });
    const imported = ['CT_small.dcm', 'MR_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_RLE.dcm', 'JPEG-lossy.dcm', 'no_meta.dcm'];
    for (const name of imported) expect(fate(report, name)?.status, name).toBe('imported');
    // SEG: imported as a non-viewable object; badVR: imported (or quarantined), never a crash.
    expect(fate(report, 'liver_1frame.dcm')?.status).toBe('imported');
    expect(['imported', 'quarantined']).toContain(fate(report, 'badVR.dcm')?.status);
    expect(fate(report, 'rtplan.dcm')).toMatchObject({ status: 'quarantined', reason: expect.stringMatching(/no image: the object has no pixel data/) });
    expect(fate(report, 'MR_truncated.dcm')).toMatchObject({ status: 'quarantined', reason: expect.stringMatching(/truncated/) });
    expect(fate(report, 'README.md')).toMatchObject({ status: 'quarantined', reason: expect.stringMatching(/not a DICOM file/) });
    expect(report.items).toHaveLength(fs.readdirSync(DICOM_FIXTURES).length);

    const db = a.services.db;
    const seg = db.prepare("SELECT viewable, modality FROM images WHERE original_name = 'liver_1frame.dcm'").get();
    expect(seg).toEqual({ viewable: 0, modality: 'SEG' });
    const ct = db.prepare("SELECT id, width, height, sop_instance_uid FROM images WHERE original_name = 'CT_small.dcm'").get() as { id: number; width: number; height: number };
    expect(ct).toMatchObject({ width: 128, height: 128 });
    const tags = Object.fromEntries(
      (db.prepare("SELECT key, value FROM image_tags WHERE image_id = ? AND namespace = 'source'").all(ct.id) as { key: string; value: string }[]).map((t) => [t.key, t.value]),
    );
    expect(tags).toMatchObject({ modality: 'CT', institution: 'Test Hospital', rows: '128', columns: '128', transfer_syntax: '1.2.840.10008.1.2.1' });
    expect(tags.manufacturer).toBeTruthy();
    // Quarantined originals are kept, under their hash, for inspection.
    const kept = db.prepare("SELECT sha256 FROM import_items WHERE reason_code = 'truncated'").get() as { sha256: string };
    expect(kept.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.existsSync(path.join(a.services.workspace.storageDir, 'blobs', kept.sha256.slice(0, 2), kept.sha256))).toBe(true);
  });

  it('finds MR_small and its implicit, big-endian and RLE encodings as near-duplicates', async () => {
    const a = app();
    await run(a, [DICOM_FIXTURES]);
    const id = (name: string) => (a.services.db.prepare('SELECT id FROM images WHERE original_name = ?').get(name) as { id: number }).id;
    const pairs = findNearDuplicates(a.services).map((p) => [p.imageId, p.otherId].sort().join('-'));
    const mr = id('MR_small.dcm');
    for (const other of ['MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_RLE.dcm']) {
      expect(pairs).toContain([mr, id(other)].sort().join('-'));
    }
    expect(pairs).toContain([id('CT_small.dcm'), id('no_meta.dcm')].sort().join('-'));
    expect(pairs).not.toContain([mr, id('CT_small.dcm')].sort().join('-'));
  });

  it('stores nothing new when a folder is imported again', async () => {
    const a = app();
    const first = await run(a, [DICOM_FIXTURES]);
    const blobsBefore = (await scrubBlobs(a.services.workspace.storageDir)).count;
    const second = await run(a, [DICOM_FIXTURES]);
    expect(second.imported).toBe(0);
    expect(second.duplicates).toBe(first.imported);
    for (const item of second.items.filter((i) => i.status === 'duplicate')) {
      expect(item.id).toBe(first.items.find((f) => f.path === item.path)?.id);
    }
    expect((await scrubBlobs(a.services.workspace.storageDir)).count).toBe(blobsBefore);
    const count = (a.services.db.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n;
    expect(count).toBe(first.imported);
  });

  it('reports a path that does not exist and goes on with the others', async () => {
    const a = app();
    const report = await run(a, ['/nonexistent/file.dcm', path.join(DICOM_FIXTURES, 'CT_small.dcm')]);
    expect(report.items.map((i) => i.status)).toEqual(['quarantined', 'imported']);
    expect(report.quarantined[0]?.reason).toMatch(/cannot read the file/);
  });

  it('audits the batch with its counts', async () => {
    const a = app();
    const report = await run(a, [path.join(DICOM_FIXTURES, 'CT_small.dcm'), path.join(DICOM_FIXTURES, 'rtplan.dcm')]);
    const row = a.services.db.prepare("SELECT outcome, object_id, details FROM audit_log WHERE action = 'images:import'").get() as { outcome: number; object_id: string; details: string };
    expect(row.object_id).toBe(String(report.batch));
    expect(row.outcome).toBe(4);
    expect(JSON.parse(row.details)).toMatchObject({ files: 2, imported: 1, quarantined: 1 });
  });
});

describe('the importer under hostile input', () => {
  it('never crashes, hangs or throws on byte-mutated DICOM files (fast-check)', async () => {
    const a = app();
    const seeds = ['CT_small.dcm', 'MR_small.dcm', 'MR_small_RLE.dcm', 'JPEG-lossy.dcm', 'no_meta.dcm', 'rtplan.dcm'].map((n) =>
      fs.readFileSync(path.join(DICOM_FIXTURES, n)),
    );
    const t = tempDir('midc-fuzz-');
    cleanups.push(t.cleanup);
    const mutation = fc.record({
      seed: fc.nat(seeds.length - 1),
      kind: fc.constantFrom('flip', 'truncate', 'length-max', 'length-zero', 'splice'),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
    });
    const cases = fc.sample(mutation, { numRuns: 150, seed: 4242 });
    cases.forEach((m, i) => {
      const src = seeds[m.seed] as Buffer;
      const bytes = Buffer.from(src);
      const at = m.at % bytes.length;
      let out: Buffer = bytes;
      if (m.kind === 'flip') bytes[at] = m.value;
      else if (m.kind === 'truncate') out = bytes.subarray(0, at);
      else if (m.kind === 'length-max' && at + 4 <= bytes.length) bytes.writeUInt32LE(0xffffffff, at);
      else if (m.kind === 'length-zero' && at + 4 <= bytes.length) bytes.writeUInt32LE(0, at);
      else if (m.kind === 'splice') out = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + m.value))]);
      fs.writeFileSync(path.join(t.dir, `case-${String(i).padStart(3, '0')}.dcm`), out);
    });
    const started = Date.now();
    const report = await importPaths(a.services, [t.dir], {
      actor: { id: null, name: 'fuzz' },
      workerFile: built('ingest-worker.js'),
      limits: { timeoutMs: 2000 },
    });
    expect(report.items).toHaveLength(cases.length);
    for (const item of report.items) {
      expect(['imported', 'duplicate', 'quarantined']).toContain(item.status);
      if (item.status === 'quarantined') expect(item.reason).toMatch(/^case-\d{3}\.dcm: .+/);
    }
    expect(Date.now() - started).toBeLessThan(60_000);
    const db = a.services.db;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 120_000);
});

describe('a storage root that vanishes mid-import', () => {
  it('stores and registers nothing after it, says why per file, corrupts nothing, and a rerun finishes the job', async () => {
    const a = app();
    const t = tempDir('midc-vanish-src-');
    cleanups.push(t.cleanup);
    // 150 distinct valid files: CT_small with its last pixel bytes changed.
    const ct = fs.readFileSync(path.join(DICOM_FIXTURES, 'CT_small.dcm'));
    for (let i = 0; i < 150; i++) {
      const bytes = Buffer.from(ct);
      bytes.writeUInt16LE(i, bytes.length - 2);
      fs.writeFileSync(path.join(t.dir, `ct-${String(i).padStart(3, '0')}.dcm`), bytes);
    }
    const root = a.services.workspace.storageDir;
    const gone = `${root}-unmounted`;
    let vanishedAfter = 0;
    const report = await importPaths(a.services, [t.dir], {
      actor: { id: null, name: 'test' },
      workerFile: built('ingest-worker.js'),
      onProgress: (p) => {
        if (vanishedAfter === 0 && p.done >= 10) {
          vanishedAfter = p.done;
          fs.renameSync(root, gone);
        }
      },
    });
    expect(vanishedAfter).toBeGreaterThan(0);
    expect(vanishedAfter).toBeLessThan(150);
    // The batch went on to the end; what came after the root vanished is reported, not stored.
    expect(report.items).toHaveLength(150);
    const failed = report.items.filter((i) => i.status === 'quarantined');
    expect(failed.length).toBeGreaterThan(0);
    for (const item of failed) expect(item.reason).toMatch(/could not be stored/);
    expect(fs.existsSync(root)).toBe(false); // not recreated behind the missing mount
    const db = a.services.db;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    fs.renameSync(gone, root);
    // Every registered object has its blob, whole.
    const shas = db.prepare('SELECT sha256 FROM images').pluck().all() as string[];
    expect(shas.length).toBe(report.imported);
    for (const sha of shas) expect(hashFileSync(blobPath(root, sha))).toBe(sha);
    expect((await scrubBlobs(root)).bad).toEqual([]);
    // Back on its mount: the same import again stores what was missing.
    const again = await run(a, [t.dir]);
    expect(again.imported + report.imported).toBe(150);
    expect(again.quarantined).toEqual([]);
  });
});
