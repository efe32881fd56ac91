import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { built, DICOM_FIXTURES } from '../../../test/helpers/built';
import { seedAndLogin, testApp } from '../../../test/helpers/workspace';
import type { App } from '../app';
import type { Sender } from '../ipc/sender';
import { importPaths } from '../ingest/ingest-service';
import { imageSetHash } from './datasets-repository';

let app: App;
let cleanup: () => void;
let ops: Sender;
let engineer: Sender;

beforeAll(async () => {
  ({ app, cleanup } = testApp());
  ({ oskar: ops, eve: engineer } = await seedAndLogin(app, { oskar: ['ops'], eve: ['algo_engineer'] }));
  await importPaths(app.services, [DICOM_FIXTURES], { actor: { id: null, name: 't' }, workerFile: built('ingest-worker.js') });
});
afterAll(() => cleanup());

const mrFilter = { tags: [{ key: 'modality', op: 'eq', value: 'MR' }] };

describe('datasets', () => {
  it('ops builds a to-label dataset from a filter', async () => {
    const r = await app.dispatch(ops, 'datasets:create', { name: 'MR to label', purpose: 'to_label', filter: mrFilter });
    expect(r).toMatchObject({ ok: true, value: { name: 'MR to label', purpose: 'to_label', latestVersion: 1, imageCount: 4, frozen: false, createdBy: 'oskar' } });
    const ids = await app.dispatch(ops, 'datasets:imageIds', { id: r.ok ? (r.value as { id: number }).id : 0 });
    expect(ids.ok && (ids.value as number[]).length).toBe(4);
    if (r.ok && ids.ok) expect((r.value as { imageSetHash: string }).imageSetHash).toBe(imageSetHash(ids.value as number[]));
  });

  it('refuses a purpose the caller may not build, a taken name and an empty selection', async () => {
    expect(await app.dispatch(engineer, 'datasets:create', { name: 'x', purpose: 'to_label', filter: mrFilter })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await app.dispatch(ops, 'datasets:create', { name: 'mr TO LABEL', purpose: 'to_label', filter: mrFilter })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(
      await app.dispatch(ops, 'datasets:create', { name: 'nothing', purpose: 'to_label', filter: { tags: [{ key: 'modality', op: 'eq', value: 'PET' }] } }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('keeps a frozen version immutable in the database itself', () => {
    const db = app.services.db;
    const version = db.prepare('SELECT id FROM dataset_versions LIMIT 1').get() as { id: number };
    db.prepare("UPDATE dataset_versions SET frozen_at = '2026-11-22T00:00:00Z' WHERE id = ?").run(version.id);
    expect(() => db.prepare('DELETE FROM dataset_images WHERE version_id = ?').run(version.id)).toThrow(/frozen/);
    const outsider = db.prepare('SELECT id FROM images WHERE id NOT IN (SELECT image_id FROM dataset_images WHERE version_id = ?) LIMIT 1').get(version.id) as { id: number };
    expect(() => db.prepare('INSERT INTO dataset_images (version_id, image_id) VALUES (?, ?)').run(version.id, outsider.id)).toThrow(/frozen/);
    expect(() => db.prepare('UPDATE dataset_versions SET image_count = 0 WHERE id = ?').run(version.id)).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM datasets').run()).toThrow(/never deleted/);
  });
});
