import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { built, DICOM_FIXTURES } from '../../../test/helpers/built';
import { sender, testApp } from '../../../test/helpers/workspace';
import type {
  AgreementView,
  EventName,
  ExportView,
  ImageGroundTruthView,
  LabelingDatasetView,
  ReviewImageView,
  SaveAnnotationResult,
  ScoresView,
  TicketDetail,
  TicketView,
  WorkspaceImageView,
} from '../../shared/contract';
import { markOverlap } from '../../shared/labeling/geometry';
import type { Mark } from '../../shared/labeling/marks';
import type { Result } from '../../shared/errors';
import type { App } from '../app';
import { hashPassword } from '../auth/password';
import { insertUser, setRoles } from '../auth/users-repository';
import { importPaths } from '../ingest/ingest-service';

/**
 * The acceptance flow, in process through app.dispatch (the e2e on the Chromium host
 * drives the same channels through the UI): a labeling admin builds a labeling dataset from a
 * to-label set of real DICOM fixtures and splits it by study between two annotators; A draws
 * an ellipse "nodule" and a length on CT_small and completes; B returns a ticket with a
 * reason; the admin reassigns it to A; an expert corrects A's ellipse (gold) and accepts; A's
 * score against gold is computed; the database holds the versions and events.
 */
let app: App;
let cleanup: () => void;
const ops = sender('ops');
const admin = sender('admin');
const anna = sender('anna');
const ben = sender('ben');
const expert = sender('expert');
const ids: Record<string, number> = {};
const adminEvents: { event: EventName; payload: unknown }[] = [];

async function call<T>(who: ReturnType<typeof sender>, channel: string, payload: unknown): Promise<T> {
  const r = (await app.dispatch(who, channel, payload)) as Result<T>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.details ?? null)}`);
  return r.value;
}

async function refused(who: ReturnType<typeof sender>, channel: string, payload: unknown): Promise<string> {
  const r = await app.dispatch(who, channel, payload);
  if (r.ok) throw new Error(`${channel} should have been refused`);
  return r.error.code;
}

const schema = {
  classes: [
    {
      name: 'nodule',
      color: '#ff4400',
      key: 'n',
      shapes: ['ellipse', 'rectangle', 'length'],
      attributes: [{ name: 'confidence', type: 'option', options: ['low', 'high'] }],
    },
    { name: 'mass', color: '#0044ff', key: 'm', shapes: ['freehand'] },
  ],
  imageClasses: ['normal', 'abnormal'],
};

const ellipse = (cx: number, cy: number, id = 'e1') => ({
  id,
  class: 'nodule',
  shape: 'ellipse',
  geometry: { cx, cy, rx: 10, ry: 8 },
  attributes: { confidence: 'high' },
});
const length = { id: 'l1', class: 'nodule', shape: 'length', geometry: { start: [50, 50], end: [60, 50] }, attributes: { confidence: 'low' } };

let datasetId: number;
let ctImage: number;
let ticketA: TicketView;
let ticketB: TicketView;
let annaVersion: number;

beforeAll(async () => {
  ({ app, cleanup } = testApp());
  const hash = await hashPassword('password one');
  const db = app.services.db;
  db.transaction(() => {
    for (const [username, roles] of [
      ['oskar', ['ops']],
      ['lara', ['labeling_admin']],
      ['anna', ['annotator']],
      ['ben', ['annotator']],
      ['eric', ['expert']],
    ] as const) {
      ids[username] = insertUser(db, { username, displayName: username[0]?.toUpperCase() + username.slice(1), passwordHash: hash, createdAt: 't' });
      setRoles(db, ids[username] as number, roles);
    }
  })();
  for (const [who, username] of [
    [ops, 'oskar'],
    [admin, 'lara'],
    [anna, 'anna'],
    [ben, 'ben'],
    [expert, 'eric'],
  ] as const) {
    await call(who, 'auth:login', { username, password: 'password one' });
  }
  app.services.events.attach(admin.id, (event, payload) => adminEvents.push({ event, payload }));
  const files = ['CT_small.dcm', 'MR_small.dcm', 'MR_small_RLE.dcm'].map((f) => path.join(DICOM_FIXTURES, f));
  await importPaths(app.services, files, { actor: { id: null, name: 't' }, workerFile: built('ingest-worker.js') });
  ctImage = (db.prepare("SELECT id FROM images WHERE original_name = 'CT_small.dcm'").get() as { id: number }).id;
});
afterAll(() => cleanup());

describe('the labeling flow', () => {
  it('a labeling admin makes a labeling dataset with a schema from a to-label dataset', async () => {
    const toLabel = await call<{ id: number }>(ops, 'datasets:create', { name: 'to label', purpose: 'to_label', filter: { tags: [], viewable: true } });
    expect(await refused(admin, 'labeling:createFromToLabel', { sourceDatasetId: toLabel.id, name: 'x', guidelines: '', schema: { classes: [] } })).toBe('VALIDATION');
    const view = await call<LabelingDatasetView>(admin, 'labeling:createFromToLabel', {
      sourceDatasetId: toLabel.id,
      name: 'Chest nodules',
      guidelines: '# Mark every nodule\nUse the ellipse.',
      schema,
    });
    datasetId = view.dataset.id;
    expect(view).toMatchObject({ dataset: { purpose: 'labeling', imageCount: 3 }, summaryVersion: 1, progress: { images: 3, inTickets: 0, annotated: 0 } });
  });

  it('splits by study between two annotators and tells the admin window', async () => {
    const tickets = await call<TicketView[]>(admin, 'tickets:split', { datasetId, by: 'study', perTicket: 1, annotatorIds: [ids.anna, ids.ben], priority: 'high' });
    // CT_small is one study, the two MR files another: a study never crosses tickets.
    expect(tickets.map((t) => t.images).sort()).toEqual([1, 2]);
    expect(new Set(tickets.map((t) => t.assigneeId))).toEqual(new Set([ids.anna, ids.ben]));
    expect(tickets.every((t) => t.state === 'assigned')).toBe(true);
    expect(adminEvents).toContainEqual({ event: 'tickets:assigned', payload: { ticketIds: tickets.map((t) => t.id), assigneeIds: expect.any(Array) } });
    // A second split finds an empty pool.
    expect(await call<TicketView[]>(admin, 'tickets:split', { datasetId, by: 'count', perTicket: 5 })).toEqual([]);
    // Annotator A is whoever got CT_small (the split order follows Study Instance UIDs).
    const detail = await Promise.all(tickets.map((t) => call<TicketDetail>(admin, 'tickets:get', { id: t.id })));
    const ct = detail.find((d) => d.images.some((i) => i.image.id === ctImage)) as TicketDetail;
    ticketA = ct.ticket;
    ticketB = (detail.find((d) => d !== ct) as TicketDetail).ticket;
    if (ticketA.assigneeId !== ids.anna) {
      // Keep the names of the story: anna is A. Reassigning both ways is itself part of the flow.
      for (const [t, to] of [
        [ticketA, ids.anna],
        [ticketB, ids.ben],
      ] as const) {
        await call(admin, 'tickets:reassign', { id: t.id, assigneeId: to, reason: 'swap for the test story' });
      }
    }
    expect((await call<TicketView[]>(anna, 'tickets:inbox', {})).map((t) => t.id)).toEqual([ticketA.id]);
  });

  it('annotator A draws an ellipse and a length; autosave is idempotent and refuses stale revisions', async () => {
    expect(await refused(anna, 'annotations:load', { ticketId: ticketB.id, imageId: ctImage })).toBe('FORBIDDEN');
    const ws = await call<WorkspaceImageView>(anna, 'annotations:load', { ticketId: ticketA.id, imageId: ctImage });
    expect(ws).toMatchObject({ current: null, revision: 0, ticketState: 'assigned', summary: { version: 1 }, image: { id: ctImage, width: 128, height: 128 } });
    const save = (revision: number, marks: unknown[]) =>
      app.dispatch(anna, 'annotations:save', { ticketId: ticketA.id, imageId: ctImage, revision, schemaVersion: 1, doc: { imageClass: 'abnormal', marks } });

    expect(await refused(anna, 'annotations:save', { ticketId: ticketA.id, imageId: ctImage, revision: 1, schemaVersion: 1, doc: { marks: [{ ...ellipse(40, 40), class: 'cyst' }] } })).toBe(
      'VALIDATION',
    );
    expect(await refused(anna, 'annotations:save', { ticketId: ticketA.id, imageId: ctImage, revision: 1, schemaVersion: 1, doc: { marks: [{ ...ellipse(40, 40), attributes: {} }] } })).toBe(
      'VALIDATION',
    );
    const first = (await save(1, [ellipse(40, 40)])) as Result<SaveAnnotationResult>;
    expect(first).toMatchObject({ ok: true, value: { created: true, ticketState: 'in_progress', annotation: { revision: 1, previousId: null, kind: 'annotator' } } });
    expect(await save(1, [ellipse(40, 40)])).toMatchObject({ ok: true, value: { created: false } });
    expect(await save(1, [ellipse(41, 40)])).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { latestRevision: 1 } } });
    const second = (await save(3, [ellipse(40, 40), length])) as Result<SaveAnnotationResult>;
    expect(second.ok).toBe(true);
    if (!second.ok || !first.ok) return;
    annaVersion = second.value.annotation.id;
    expect(second.value.annotation).toMatchObject({ revision: 3, previousId: first.value.annotation.id });
    expect(await save(2, [ellipse(40, 40)])).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { latestRevision: 3 } } });
    // Measurements come from main: CT_small has a pixel spacing, so lengths are in mm.
    const stored = second.value.annotation.doc.marks.find((m) => m.shape === 'length') as Mark;
    expect(stored.measurements?.unit).toBe('mm');
    expect(stored.measurements?.length).toBeGreaterThan(0);
    const reopened = await call<WorkspaceImageView>(anna, 'annotations:load', { ticketId: ticketA.id, imageId: ctImage });
    expect(reopened.current?.doc).toEqual(second.value.annotation.doc);
    expect(reopened.revision).toBe(3);
  });

  it('annotator A completes the ticket once every image has a saved version', async () => {
    expect(await call<TicketView>(anna, 'tickets:submit', { id: ticketA.id })).toMatchObject({ state: 'submitted', annotated: 1 });
    expect(await refused(anna, 'annotations:save', { ticketId: ticketA.id, imageId: ctImage, revision: 4, schemaVersion: 1, doc: { marks: [] } })).toBe('CONFLICT');
  });

  it('annotator B returns a ticket with a reason; its unfinished images go back to the pool', async () => {
    expect(await refused(ben, 'tickets:return', { id: ticketB.id, reason: '' })).toBe('VALIDATION');
    expect(await refused(ben, 'tickets:return', { id: ticketA.id, reason: 'not mine at all' })).toBe('CONFLICT');
    const detail = await call<TicketDetail>(ben, 'tickets:get', { id: ticketB.id });
    const [kept, ...unfinished] = detail.images.map((i) => i.image.id) as [number, ...number[]];
    await call(ben, 'annotations:save', { ticketId: ticketB.id, imageId: kept, revision: 1, schemaVersion: 1, doc: { imageClass: 'normal', marks: [] } });
    const returned = await call<TicketView>(ben, 'tickets:return', { id: ticketB.id, reason: 'MR is outside my training' });
    expect(returned).toMatchObject({ state: 'returned', assigneeId: null, images: 1, lastEvent: { action: 'return', reason: 'MR is outside my training', details: { released: unfinished, kept: 1 } } });
    expect(await refused(ben, 'tickets:get', { id: ticketB.id })).toBe('FORBIDDEN');
    expect((await call<{ totals: { inTickets: number } }>(admin, 'labeling:progress', { datasetId })).totals.inTickets).toBe(2);
  });

  it('the admin reassigns the returned ticket to A, who takes back the released images and finishes', async () => {
    const moved = await call<TicketView>(admin, 'tickets:reassign', { id: ticketB.id, assigneeId: ids.anna, reason: 'Anna reads MR too' });
    expect(moved).toMatchObject({ state: 'assigned', assigneeId: ids.anna, images: 2, lastEvent: { action: 'reassign' } });
    const detail = await call<TicketDetail>(anna, 'tickets:get', { id: ticketB.id });
    for (const img of detail.images) {
      const ws = await call<WorkspaceImageView>(anna, 'annotations:load', { ticketId: ticketB.id, imageId: img.image.id });
      // Ben's saved image shows his state, marked as inherited; Anna's first save continues from it.
      if (img.saved) expect(ws).toMatchObject({ inherited: true, revision: 0, current: { authorId: ids.ben } });
      const saved = await call<SaveAnnotationResult>(anna, 'annotations:save', { ticketId: ticketB.id, imageId: img.image.id, revision: 1, schemaVersion: 1, doc: { imageClass: 'normal', marks: [] } });
      expect(saved.annotation.basedOnId).toBe(img.saved ? ws.current?.id : null);
    }
    expect(await call<TicketView>(anna, 'tickets:submit', { id: ticketB.id })).toMatchObject({ state: 'submitted' });
  });

  it('an expert rejects one ticket with a reason, corrects A\'s ellipse as gold and accepts', async () => {
    const submitted = await call<TicketView[]>(expert, 'tickets:list', { datasetId, state: 'submitted' });
    expect(submitted.map((t) => t.id).sort()).toEqual([ticketA.id, ticketB.id].sort());
    expect(await refused(expert, 'tickets:reject', { id: ticketB.id, reason: 'x' })).toBe('VALIDATION');
    expect(await call<TicketView>(expert, 'tickets:reject', { id: ticketB.id, reason: 'image class of the MR is missing a finding' })).toMatchObject({ state: 'in_progress', assigneeId: ids.anna });

    const review = await call<ReviewImageView>(expert, 'annotations:review', { datasetId, imageId: ctImage });
    expect(review.versions.map((v) => v.revision)).toEqual([1, 3]);
    expect(review.goldRevision).toBe(0);
    const gold = await call<SaveAnnotationResult>(expert, 'annotations:saveReview', {
      datasetId,
      imageId: ctImage,
      kind: 'gold',
      revision: 1,
      schemaVersion: 1,
      basedOnId: annaVersion,
      doc: { imageClass: 'abnormal', marks: [ellipse(42, 40), length] },
    });
    expect(gold.annotation).toMatchObject({ kind: 'gold', basedOnId: annaVersion, previousId: null, ticketId: null });
    expect(await call<TicketView>(expert, 'tickets:accept', { id: ticketA.id })).toMatchObject({ state: 'accepted' });
    expect(await refused(anna, 'tickets:reject', { id: ticketA.id, reason: 'cannot, not an expert' })).toBe('FORBIDDEN');

    const gt = await call<ImageGroundTruthView[]>(admin, 'annotations:groundTruth', { datasetId });
    expect(gt.find((g) => g.imageId === ctImage)).toMatchObject({ source: 'gold', annotation: { id: gold.annotation.id } });
    expect(gt.filter((g) => g.imageId !== ctImage).every((g) => g.source === null)).toBe(true);
  });

  it("computes A's score against gold and the agreement report", async () => {
    const s = await call<ScoresView>(expert, 'quality:scores', { datasetId });
    const a = s.annotators.find((x) => x.annotatorId === ids.anna);
    const iou = markOverlap(
      { ...ellipse(40, 40), frame: 0 } as Mark,
      { ...ellipse(42, 40), frame: 0 } as Mark,
    )?.iou as number;
    expect(iou).toBeGreaterThan(0.5);
    expect(a).toMatchObject({ images: 1, matched: 1, missing: 0, extra: 0, wrongClass: 0, lowOverlap: 0, unscored: 2, accuracy: 1, imageClassAccuracy: 1 });
    expect(a?.meanIoU).toBeCloseTo(iou, 12);
    expect(s.images).toEqual([expect.objectContaining({ imageId: ctImage, annotationId: annaVersion, ticketId: ticketA.id })]);
    const strict = await call<ScoresView>(expert, 'quality:scores', { datasetId, iouThreshold: 0.95 });
    expect(strict.annotators[0]).toMatchObject({ matched: 0, lowOverlap: 1 });
    // Ben and Anna both annotated one MR image (Ben before returning, Anna after the reassign).
    const ag = await call<AgreementView>(admin, 'quality:agreement', { datasetId });
    expect(ag.pairs).toEqual([expect.objectContaining({ images: 1, meanIoU: null, imageClassKappa: expect.objectContaining({ n: 1 }) })]);
  });

  it('exports the ground truth as COCO and CSV text', async () => {
    const coco = await call<ExportView>(admin, 'labeling:export', { datasetId, format: 'coco' });
    expect(coco).toMatchObject({ mimeType: 'application/json', images: 1, withoutGroundTruth: 2 });
    const json = JSON.parse(coco.text);
    expect(json.annotations).toHaveLength(1);
    expect(json.annotations[0]).toMatchObject({ image_id: ctImage, category_id: 1, bbox: [32, 32, 20, 16] });
    expect(json.midc_marks).toHaveLength(1);
    const csv = await call<ExportView>(admin, 'labeling:export', { datasetId, format: 'csv' });
    expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(4);
  });

  it('leaves the expected versions and append-only events in the database', () => {
    const db = app.services.db;
    const versions = db.prepare('SELECT kind, author_id, ticket_id, revision, previous_id IS NOT NULL AS chained FROM annotations WHERE image_id = ? ORDER BY id').all(ctImage);
    expect(versions).toEqual([
      { kind: 'annotator', author_id: ids.anna, ticket_id: ticketA.id, revision: 1, chained: 0 },
      { kind: 'annotator', author_id: ids.anna, ticket_id: ticketA.id, revision: 3, chained: 1 },
      { kind: 'gold', author_id: ids.eric, ticket_id: null, revision: 1, chained: 0 },
    ]);
    const events = (id: number) => (db.prepare('SELECT action FROM ticket_events WHERE ticket_id = ? ORDER BY id').all(id) as { action: string }[]).map((e) => e.action);
    const swapped = events(ticketA.id).includes('reassign');
    expect(events(ticketA.id)).toEqual(['create', 'assign', ...(swapped ? ['reassign'] : []), 'start', 'submit', 'accept']);
    expect(events(ticketB.id)).toEqual(['create', 'assign', ...(swapped ? ['reassign'] : []), 'start', 'return', 'reassign', 'start', 'submit', 'reject']);
    const reasons = db.prepare("SELECT action, reason, actor_name FROM ticket_events WHERE reason IS NOT NULL AND action != 'reassign' OR reason = 'Anna reads MR too' ORDER BY id").all();
    expect(reasons).toEqual([
      { action: 'return', reason: 'MR is outside my training', actor_name: 'ben' },
      { action: 'reassign', reason: 'Anna reads MR too', actor_name: 'lara' },
      { action: 'reject', reason: 'image class of the MR is missing a finding', actor_name: 'eric' },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM annotation_acceptances').get()).toEqual({ n: 1 });
    expect(() => db.prepare('DELETE FROM ticket_events').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE annotations SET content = '{}'").run()).toThrow(/append-only/);
    // Every write left an audit entry beside it.
    expect((db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'annotations:save' AND outcome = 0").get() as { n: number }).n).toBeGreaterThanOrEqual(6);
  });
});
