import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICOM_FIXTURES } from '../../../test/helpers/built';
import { seedAndLogin, testApp } from '../../../test/helpers/workspace';
import type { App } from '../app';
import type { Sender } from '../ipc/sender';

let app: App;
let cleanup: () => void;
let ops: Sender;
let engineer: Sender;
const events: [string, unknown][] = [];

async function call<T = unknown>(who: Sender, channel: string, payload: unknown): Promise<T> {
  const r = await app.dispatch(who, channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  ({ app, cleanup } = testApp());
  ({ oskar: ops, eve: engineer } = await seedAndLogin(app, { oskar: ['ops'], eve: ['algo_engineer'] }));
  app.services.events.attach(ops.id, (event, payload) => events.push([event, payload]));
  await call(ops, 'images:import', { paths: [path.join(DICOM_FIXTURES, 'CT_small.dcm'), path.join(DICOM_FIXTURES, 'MR_small.dcm')], tags: { institution: 'North Hospital' } });
  await call(ops, 'images:import', { paths: [path.join(DICOM_FIXTURES, 'MR_small_implicit.dcm'), path.join(DICOM_FIXTURES, 'rtplan.dcm')], tags: { institution: 'South Clinic' } });
});
afterAll(() => cleanup());

describe('import through IPC', () => {
  it('reports progress, then that of the thumbnails, to the importing window and audits each batch once', async () => {
    expect(events.filter(([e]) => e === 'import:progress').length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toEqual(['import:progress', expect.objectContaining({ total: 2, done: 2, imported: 1, quarantined: 1 })]);
    // Then the thumbnails and hashes, with the files' last counts: 2 images, then 1.
    type Progress = { batch: number; done: number; imported: number; pixels?: { done: number; total: number } };
    const pixels = events.filter(([e, p]) => e === 'import:progress' && (p as Progress).pixels).map(([, p]) => p as Progress);
    const ofBatch = (batch: number) => pixels.filter((p) => p.batch === batch);
    // One event per group committed (how the 2 images group depends on timing): counts only grow.
    const done = ofBatch(1).map((p) => p.pixels?.done);
    expect(done).toEqual([...done].sort());
    expect(ofBatch(1).at(-1)?.pixels).toEqual({ done: 2, total: 2 });
    expect(ofBatch(1).every((p) => p.done === 2 && p.imported === 2)).toBe(true);
    expect(ofBatch(2).map((p) => p.pixels)).toEqual([{ done: 1, total: 1 }]);
    const audits = app.services.db.prepare("SELECT actor_name, object_id, details FROM audit_log WHERE action = 'images:import'").all() as { actor_name: string; details: string }[];
    expect(audits).toHaveLength(2);
    expect(audits[0]?.actor_name).toBe('oskar');
    expect(JSON.parse(audits[1]?.details ?? '{}')).toMatchObject({ files: 2, imported: 1, quarantined: 1 });
  });

  it('lists batches with their counts and the report of each file', async () => {
    const batches = await call<{ id: number; status: string; imported: number; quarantined: number }[]>(ops, 'images:batches', {});
    expect(batches.map((b) => [b.status, b.imported, b.quarantined])).toEqual([['done', 1, 1], ['done', 2, 0]]);
    const items = await call<{ status: string; reason?: string }[]>(ops, 'images:batchReport', { batch: batches[0]?.id });
    expect(items.map((i) => i.status)).toEqual(['imported', 'quarantined']);
    expect(items[1]?.reason).toMatch(/no pixel data/);
  });
});

describe('the data browser', () => {
  it('filters by institution and sorts by a tag', async () => {
    const north = await call<{ total: number; rows: { originalName: string; tags: Record<string, string> }[] }>(engineer, 'images:list', {
      filter: { tags: [{ key: 'institution', op: 'eq', value: 'North Hospital' }] },
      sort: { key: 'modality', dir: 'desc' },
    });
    expect(north.total).toBe(2);
    expect(north.rows.map((r) => r.originalName)).toEqual(['MR_small.dcm', 'CT_small.dcm']);
    expect(north.rows[0]?.tags).toMatchObject({ modality: 'MR', institution: 'North Hospital' });
    const partial = await call<{ total: number }>(engineer, 'images:list', { filter: { tags: [{ key: 'institution', op: 'contains', value: 'clinic' }] } });
    expect(partial.total).toBe(1);
  });

  it('audits every read of the browser', async () => {
    const before = (app.services.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'images:list'").get() as { n: number }).n;
    await call(engineer, 'images:list', {});
    const after = (app.services.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'images:list'").get() as { n: number }).n;
    expect(after).toBe(before + 1);
  });

  it('bulk-edits a tag on a filtered set, keeping the history, and removes tags with an empty value', async () => {
    const r = await call<{ updated: number }>(ops, 'images:setTags', {
      filter: { tags: [{ key: 'institution', op: 'eq', value: 'North Hospital' }] },
      tags: { institution: 'North Hospital (merged)', site_code: 'N1' },
    });
    expect(r.updated).toBe(2);
    const merged = await call<{ total: number }>(ops, 'images:list', { filter: { tags: [{ key: 'site_code', op: 'eq', value: 'N1' }] } });
    expect(merged.total).toBe(2);
    const history = app.services.db.prepare("SELECT old_value, new_value FROM image_tag_history WHERE key = 'institution' AND new_value = 'North Hospital (merged)'").all();
    expect(history).toEqual([
      { old_value: 'North Hospital', new_value: 'North Hospital (merged)' },
      { old_value: 'North Hospital', new_value: 'North Hospital (merged)' },
    ]);
    await call(ops, 'images:setTags', { filter: { tags: [{ key: 'site_code', op: 'eq', value: 'N1' }] }, tags: { site_code: null } });
    expect((await call<{ total: number }>(ops, 'images:list', { filter: { tags: [{ key: 'site_code', op: 'eq', value: 'N1' }] } })).total).toBe(0);
  });

  it('refuses a bulk edit by a role other than ops', async () => {
    const r = await app.dispatch(engineer, 'images:setTags', { filter: { tags: [] }, tags: { x: 'y' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('finds the implicit-VR copy of MR_small as a near-duplicate', async () => {
    const pairs = await call<{ imageName: string; otherName: string; distance: number }[]>(engineer, 'images:nearDuplicates', {});
    expect(pairs.map((p) => [p.imageName, p.otherName].sort())).toContainEqual(['MR_small.dcm', 'MR_small_implicit.dcm']);
  });

  it('serves thumbnails as PNG bytes', async () => {
    const page = await call<{ rows: { id: number; hasThumbnail: boolean }[] }>(engineer, 'images:list', {});
    const withThumb = page.rows.find((r) => r.hasThumbnail);
    const png = await call<Uint8Array>(engineer, 'images:thumbnail', { id: withThumb?.id });
    expect(Buffer.from(png.subarray(0, 4)).toString('latin1')).toBe('\x89PNG');
    expect(await app.dispatch(engineer, 'images:thumbnail', { id: 9999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('the viewer file channel', () => {
  it('returns the stored DICOM bytes with pixel spacing, and audits the read', async () => {
    const page = await call<{ rows: { id: number; originalName: string }[] }>(engineer, 'images:list', {});
    const ct = page.rows.find((r) => r.originalName === 'CT_small.dcm');
    const file = await call<{ kind: string; bytes: Uint8Array; pixelSpacing: [number, number] | null; transferSyntax: string }>(engineer, 'images:file', { id: ct?.id });
    expect(file.kind).toBe('dicom');
    expect(Buffer.from(file.bytes.subarray(128, 132)).toString('latin1')).toBe('DICM');
    expect(file.pixelSpacing?.every((v) => v > 0)).toBe(true);
    expect(file.transferSyntax).toBe('1.2.840.10008.1.2.1');
    const audited = app.services.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'images:file'").get() as { n: number };
    expect(audited.n).toBe(1);
  });
});
