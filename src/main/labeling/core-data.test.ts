import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICOM_FIXTURES } from '../../../test/helpers/built';
import { sender } from '../../../test/helpers/workspace';
import dicomParser from 'dicom-parser';
import type { CoreDataStatusView, LabelingDatasetView, RunView, SrExportView, TagFlowView, TicketView } from '../../shared/contract';
import type { AnnotationDoc, Mark } from '../../shared/labeling/marks';
import type { LabelSchema } from '../../shared/labeling/schema';
import { hashPassword } from '../auth/password';
import { insertUser, setRoles } from '../auth/users-repository';
import { resolveGroundTruth } from '../evaluation/ground-truth';
import { createWorld, type World } from '../evaluation/test-support/world';
import { labelsFor } from './core-data';

/**
 * Issue 4 item 2 / issue 5: a labeling admin submits a labeling dataset's ground truth into the
 * core data; evaluation then reads it (live rule) and a later expert gold correction makes a
 * run's snapshot stale: viewing the run regenerates the metrics and records why.
 */
let w: World;
const labAdmin = sender('w-lara');
const annotator = sender('w-anna');
const files = ['CT_small.dcm', 'MR_small.dcm', 'MR_small_RLE.dcm'];
let ids: number[];
let ct: number;
let labelingId: number;
let testSetId: number;
let run: RunView;

const schema = {
  classes: [{ name: 'nodule', color: '#ff4400', key: 'n', shapes: ['ellipse', 'rectangle', 'freehand', 'length'] }],
  imageClasses: ['normal', 'abnormal'],
};
const ellipse = (cx: number, cy: number): Mark => ({ id: 'e1', class: 'nodule', shape: 'ellipse', frame: 0, geometry: { cx, cy, rx: 10, ry: 8 }, attributes: {} });

beforeAll(async () => {
  w = await createWorld();
  const db = w.app.services.db;
  const hash = await hashPassword('password one');
  db.transaction(() => {
    setRoles(db, insertUser(db, { username: 'lara', displayName: 'Lara', passwordHash: hash, createdAt: 't' }), ['labeling_admin']);
    setRoles(db, insertUser(db, { username: 'anna', displayName: 'Anna', passwordHash: hash, createdAt: 't' }), ['annotator']);
  })();
  await w.ok(labAdmin, 'auth:login', { username: 'lara', password: 'password one' });
  await w.ok(annotator, 'auth:login', { username: 'anna', password: 'password one' });
  await w.importFiles(files.map((f) => path.join(DICOM_FIXTURES, f)));
  ids = files.map((f) => w.imageId(f));
  ct = w.imageId('CT_small.dcm');

  // Labeling: a dataset of the three images, one ticket for Anna, her marks, accepted by the expert.
  const toLabel = await w.ok<{ id: number }>(w.ops, 'datasets:create', { name: 'to label', purpose: 'to_label', filter: { ids } });
  const view = await w.ok<LabelingDatasetView>(labAdmin, 'labeling:createFromToLabel', { sourceDatasetId: toLabel.id, name: 'Chest nodules', guidelines: '# Nodules', schema });
  labelingId = view.dataset.id;
  const [ticket] = await w.ok<TicketView[]>(labAdmin, 'tickets:split', { datasetId: labelingId, by: 'count', perTicket: 10, annotatorIds: [w.app.services.db.prepare("SELECT id FROM users WHERE username = 'anna'").pluck().get()] });
  for (const imageId of ids) {
    const doc: AnnotationDoc = imageId === ct ? { imageClass: 'abnormal', marks: [ellipse(40, 40)] } : { imageClass: 'normal', marks: [] };
    await w.ok(annotator, 'annotations:save', { ticketId: ticket?.id, imageId, revision: 1, schemaVersion: 1, doc });
  }
  await w.ok(annotator, 'tickets:submit', { id: ticket?.id });
  await w.ok(w.expert, 'tickets:accept', { id: ticket?.id });

  // Evaluation: a test set of the same images and a classification model.
  testSetId = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'Test set', purpose: 'application_test', filter: { ids } })).id;
});
afterAll(() => w.cleanup());

describe('labels into the core data', () => {
  it('maps area marks to boxes (ellipse: circumscribed box) and skips measurements', () => {
    const s = schema as LabelSchema;
    const doc: AnnotationDoc = {
      imageClass: 'abnormal',
      marks: [
        ellipse(40, 40),
        { id: 'f', class: 'nodule', shape: 'freehand', frame: 0, geometry: { points: [[5, 6], [15, 2], [9, 20]] }, attributes: {} },
        { id: 'l', class: 'nodule', shape: 'length', frame: 0, geometry: { start: [0, 0], end: [9, 9] }, attributes: {} },
      ],
    };
    expect(labelsFor(doc, 'classification', s)).toEqual([{ className: 'abnormal', box: null }]);
    const boxes = labelsFor(doc, 'detection', s).map((l) => l.box && { x: l.box.x, y: l.box.y, w: l.box.w, h: l.box.h });
    expect(boxes).toHaveLength(2);
    expect(boxes).toContainEqual({ x: 30, y: 32, w: 20, h: 16 });
    expect(boxes).toContainEqual({ x: 5, y: 2, w: 10, h: 18 });
    // An annotation without area marks says "no object"; without an image class it says nothing about the class.
    expect(labelsFor({ imageClass: null, marks: [] }, 'detection', s)).toEqual([{ className: null, box: null }]);
    expect(labelsFor({ imageClass: null, marks: [] }, 'classification', s)).toEqual([]);
  });

  it('publishes nothing to evaluation before the admin submits, and refuses a dataset without ground truth', async () => {
    const before = resolveGroundTruth(w.app.services.db, { datasetId: testSetId, imageIds: ids, task: 'classification' });
    expect(before.labels.size).toBe(0);
    expect(await w.ok(labAdmin, 'labeling:coreStatus', { datasetId: labelingId })).toBeNull();
    // Only the labeling admin submits.
    expect(await w.app.dispatch(w.expert, 'labeling:submitToCore', { datasetId: labelingId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('submit to core data: tags every image with its labeling ground truth and feeds evaluation', async () => {
    const status = await w.ok<CoreDataStatusView>(labAdmin, 'labeling:submitToCore', { datasetId: labelingId });
    expect(status).toMatchObject({ datasetId: labelingId, images: 3, gold: 0, accepted: 3, updatedBy: 'lara' });
    expect(await w.ok(labAdmin, 'labeling:coreStatus', { datasetId: labelingId })).toMatchObject({ images: 3, gold: 0, accepted: 3 });
    const audit = w.app.services.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'labeling:submitToCore' AND outcome = 0").pluck().get();
    expect(audit).toBe(1);

    const flow = await w.ok<TagFlowView>(w.expert, 'tags:forImage', { imageId: ct });
    const published = Object.fromEntries(flow.labeling.filter((t) => t.id.startsWith('labeling:')).map((t) => [t.label, t.value]));
    expect(published).toMatchObject({ dataset: 'Chest nodules', type: 'classification+detection', object: 'nodule', truth: expect.stringMatching(/^accepted #\d+$/) });
    expect(flow.source.filter((t) => t.link?.kind === 'tag' && t.link.namespace === 'labeling')).toEqual([]);

    const cls = resolveGroundTruth(w.app.services.db, { datasetId: testSetId, imageIds: ids, task: 'classification' });
    const expected = ids.map((id) => [id, [{ className: id === ct ? 'abnormal' : 'normal', box: null }]]).sort((a, b) => (a[0] as number) - (b[0] as number));
    expect([...cls.labels]).toEqual(expected);
    expect(cls.sources).toEqual([{ kind: 'labeling', token: expect.stringMatching(new RegExp(`^labeling:${labelingId}#\\d+$`)), images: 3 }]);
    const det = resolveGroundTruth(w.app.services.db, { datasetId: testSetId, imageIds: [ct], task: 'detection' });
    expect(det.labels.get(ct)).toEqual([{ className: 'nodule', box: { x: 30, y: 32, w: 20, h: 16 } }]);
  });

  it('a gold correction after submission makes the run stale; viewing it regenerates the metrics and records why', async () => {
    const modelId = (await w.ok<{ id: number }>(w.admin, 'models:create', { name: 'ChestNet', task: 'classification' })).id;
    run = await w.ok<RunView>(w.engineer, 'runs:create', { name: 'ChestNet v1', modelId, datasetId: testSetId, parameterValues: {} });
    const text = ['image_key,class,score', 'CT_small.dcm,abnormal,0.9', 'MR_small.dcm,normal,0.8', 'MR_small_RLE.dcm,abnormal,0.7'].join('\n');
    await w.ok(w.engineer, 'runs:importResults', { runId: run.id, source: { name: 'pred.csv', text } });
    const computed = await w.ok<RunView>(w.expert, 'runs:get', { id: run.id });
    expect(computed.stale).toBeNull();
    expect(computed.metrics).toMatchObject({ task: 'classification', accuracy: 2 / 3 });

    // The expert corrects MR_small_RLE: it is abnormal after all (a new gold version).
    const rle = ids[2] as number;
    const review = await w.ok<{ groundTruth: { annotation: { id: number } } }>(w.expert, 'annotations:review', { datasetId: labelingId, imageId: rle });
    await w.ok(w.expert, 'annotations:saveReview', {
      datasetId: labelingId,
      imageId: rle,
      kind: 'gold',
      revision: 1,
      schemaVersion: 1,
      basedOnId: review.groundTruth.annotation.id,
      doc: { imageClass: 'abnormal', marks: [] },
    });

    const viewed = await w.ok<RunView>(w.expert, 'runs:get', { id: run.id });
    expect(viewed.stale?.reasons).toEqual([expect.stringMatching(new RegExp(`^the ground truth changed \\(labeling:${labelingId}#\\d+ → labeling:${labelingId}#\\d+\\)$`))]);
    expect(viewed.stale?.changedImageIds).toEqual([rle]);
    expect(viewed.stale?.changes).toContainEqual({ figure: 'accuracy', before: 2 / 3, after: 1 });
    expect(viewed.metrics).toMatchObject({ accuracy: 1 });
    expect(viewed.snapshot?.reason).toMatch(/^regenerated: the ground truth changed/);
    expect((await w.ok<RunView>(w.expert, 'runs:get', { id: run.id })).stale).toBeNull();

    // The image's labeling tags followed the correction, with history.
    const flow = await w.ok<TagFlowView>(w.expert, 'tags:forImage', { imageId: rle });
    const truth = flow.labeling.find((t) => t.id === 'labeling:truth');
    expect(truth?.value).toMatch(/^gold #\d+$/);
    expect(truth?.history?.map((h) => h.newValue)).toEqual([expect.stringMatching(/^accepted #/), expect.stringMatching(/^gold #/)]);
    expect(await w.ok(labAdmin, 'labeling:coreStatus', { datasetId: labelingId })).toMatchObject({ images: 3, gold: 1, accepted: 2 });
  });

  it('exports the ground truth as one DICOM SR TID 1500 file per image, referencing each image', async () => {
    expect(await w.app.dispatch(annotator, 'labeling:exportSr', { datasetId: labelingId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const sr = await w.ok<SrExportView>(labAdmin, 'labeling:exportSr', { datasetId: labelingId });
    expect(sr).toMatchObject({ images: 3, withoutGroundTruth: 0, notDicom: 0 });
    const ctFile = sr.files.find((f) => f.imageId === ct);
    expect(ctFile).toMatchObject({ fileName: 'CT_small-sr.dcm', measurementGroups: 1, leftOut: 0 });
    const parsed = dicomParser.parseDicom(new Uint8Array(Buffer.from(ctFile?.base64 ?? '', 'base64')));
    const sop = w.app.services.db.prepare('SELECT sop_instance_uid, study_instance_uid FROM images WHERE id = ?').get(ct) as { sop_instance_uid: string; study_instance_uid: string };
    expect(parsed.string('x0020000d')).toBe(sop.study_instance_uid);
    expect(parsed.string('x00080018')).toBe(ctFile?.sopInstanceUid);
    const evidence = parsed.elements.x0040a375?.items?.[0]?.dataSet?.elements.x00081115?.items?.[0]?.dataSet?.elements.x00081199?.items?.[0]?.dataSet;
    expect(evidence?.string('x00081155')).toBe(sop.sop_instance_uid);
  });

  it('summary versions: the expert edits guidelines only, a stale editor is refused, old annotations keep their version', async () => {
    const v1 = await w.ok<{ version: number; schema: unknown }>(labAdmin, 'labeling:summary', { datasetId: labelingId });
    expect(v1.version).toBe(1);
    const byExpert = await w.ok<{ version: number; guidelines: string; schema: unknown }>(w.expert, 'labeling:saveSummary', { datasetId: labelingId, basedOnVersion: 1, guidelines: '# Nodules\nAlso ground-glass.' });
    expect(byExpert).toMatchObject({ version: 2, guidelines: '# Nodules\nAlso ground-glass.', schema: v1.schema });
    const changed = { ...schema, classes: [...schema.classes, { name: 'mass', color: '#0044ff', key: 'm', shapes: ['freehand'] }] };
    expect(await w.app.dispatch(w.expert, 'labeling:saveSummary', { datasetId: labelingId, basedOnVersion: 2, guidelines: 'x', schema: changed })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await w.app.dispatch(labAdmin, 'labeling:saveSummary', { datasetId: labelingId, basedOnVersion: 1, guidelines: 'x', schema: changed })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { latestVersion: 2 } },
    });
    const before = w.app.services.db.prepare('SELECT id, summary_id, content FROM annotations WHERE dataset_id = ? ORDER BY id').all(labelingId);
    const v3 = await w.ok<{ version: number }>(labAdmin, 'labeling:saveSummary', { datasetId: labelingId, basedOnVersion: 2, guidelines: 'x', schema: changed });
    expect(v3.version).toBe(3);
    expect(w.app.services.db.prepare('SELECT id, summary_id, content FROM annotations WHERE dataset_id = ? ORDER BY id').all(labelingId)).toEqual(before);
    expect((await w.ok<{ schema: { classes: unknown[] } }>(labAdmin, 'labeling:summary', { datasetId: labelingId, version: 1 })).schema.classes).toHaveLength(1);
  });
});

