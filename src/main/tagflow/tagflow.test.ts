import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sender, testApp } from '../../../test/helpers/workspace';
import type { FlowTag, RunReport, RunSliceView, RunView, TagFlowView, TaggedImagesView, TagLink } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import { evaluateDetection, type GtBox, type PredBox } from '../../shared/metrics/detection';
import type { App } from '../app';
import { insertDataset, insertVersion } from '../datasets/datasets-repository';
import { DEMO_PASSWORD, seedDemo } from '../demo/demo';
import { detectionMetrics } from './slices';
import type { SliceBoxRow } from './tagflow-repository';

/**
 * The tag flow on the demo workspace (36 studies, a training and an application-test set, two
 * computed runs, a quantified label), plus a labeling dataset with a ticket, an annotator and
 * a gold version written straight into the tables, and institutions edited by ops so that a
 * run has three slices (two institutions and untagged images).
 */
let app: App;
let cleanup: () => void;
const engineer = sender('engineer');
const ops = sender('ops');
let imageId: number;
let testDatasetId: number;
let runIds: number[];

async function call<T>(who: ReturnType<typeof sender>, channel: string, payload: unknown): Promise<T> {
  const r = (await app.dispatch(who, channel, payload)) as Result<T>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

async function allImages(who: ReturnType<typeof sender>, link: TagLink): Promise<number[]> {
  const ids: number[] = [];
  for (let offset = 0; ; offset += 7) {
    const page = await call<TaggedImagesView>(who, 'tags:images', { link, offset, limit: 7 });
    ids.push(...page.imageIds);
    if (offset + 7 >= page.total) {
      expect(ids).toHaveLength(page.total);
      return ids;
    }
  }
}

beforeAll(async () => {
  ({ app, cleanup } = testApp());
  await seedDemo(app.services);
  for (const [who, username] of [
    [engineer, 'engineer'],
    [ops, 'ops'],
  ] as const) {
    const r = await app.dispatch(who, 'auth:login', { username, password: DEMO_PASSWORD });
    if (!r.ok) throw new Error(r.error.message);
  }
  const db = app.services.db;
  testDatasetId = (db.prepare("SELECT id FROM datasets WHERE name = 'Demo application test'").get() as { id: number }).id;
  const testIds = (db.prepare('SELECT image_id FROM dataset_images di JOIN dataset_versions v ON v.id = di.version_id WHERE v.dataset_id = ? ORDER BY image_id').all(testDatasetId) as { image_id: number }[]).map((r) => r.image_id);
  imageId = testIds[0] as number;
  runIds = (db.prepare('SELECT id FROM runs ORDER BY id').all() as { id: number }[]).map((r) => r.id);

  // Institutions: a third of the test set moves to another hospital, a few lose the tag.
  await call(ops, 'images:setTags', { filter: { ids: testIds.slice(0, 8) }, tags: { institution: 'North Clinic' } });
  await call(ops, 'images:setTags', { filter: { ids: testIds.slice(20) }, tags: { institution: null } });

  // Labeling: a labeling dataset holding the image, a ticket, an annotator version (two
  // revisions) and an expert's gold version.
  const userId = (name: string) => (db.prepare('SELECT id FROM users WHERE username = ?').get(name) as { id: number }).id;
  const now = '2026-11-22T09:00:00.000Z';
  db.transaction(() => {
    const ds = insertDataset(db, { name: 'Nodules to label', purpose: 'labeling', description: '', source: {}, createdBy: userId('labadmin'), createdAt: now });
    insertVersion(db, { datasetId: ds, version: 1, imageIds: testIds.slice(0, 4), createdBy: userId('labadmin'), createdAt: now });
    const summary = Number(db.prepare("INSERT INTO labeling_summaries (dataset_id, version, guidelines, label_schema, created_at) VALUES (?, 1, 'g', '{}', ?)").run(ds, now).lastInsertRowid);
    const ticket = Number(db.prepare("INSERT INTO tickets (dataset_id, name, state, priority, created_at, updated_at) VALUES (?, 'Batch 1', 'open', 'normal', ?, ?)").run(ds, now, now).lastInsertRowid);
    const created = Number(db.prepare("INSERT INTO ticket_events (ticket_id, action, from_state, to_state, at) VALUES (?, 'create', NULL, 'open', ?)").run(ticket, now).lastInsertRowid);
    testIds.slice(0, 3).forEach((img, i) => db.prepare('INSERT INTO ticket_images (ticket_id, dataset_id, image_id, slot, position, added_event_id) VALUES (?, ?, ?, 0, ?, ?)').run(ticket, ds, img, i, created));
    const annotate = (kind: string, track: string, author: number, revision: number, previous: number | null, img: number) =>
      Number(
        db
          .prepare('INSERT INTO annotations (dataset_id, image_id, ticket_id, kind, author_id, track, revision, previous_id, summary_id, content, content_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(ds, img, kind === 'annotator' ? ticket : null, kind, author, track, revision, previous, summary, '{}', 'h', now).lastInsertRowid,
      );
    const first = annotate('annotator', `annotator:${ticket}:${imageId}:${userId('anna')}`, userId('anna'), 1, null, imageId);
    annotate('annotator', `annotator:${ticket}:${imageId}:${userId('anna')}`, userId('anna'), 2, first, imageId);
    annotate('gold', `gold:${ds}:${imageId}`, userId('expert'), 1, null, imageId);
    annotate('gold', `gold:${ds}:${testIds[1] as number}`, userId('expert'), 1, null, testIds[1] as number);
  })();
});
afterAll(() => cleanup());

const tagsOf = (flow: TagFlowView): FlowTag[] => [...flow.source, ...flow.labeling, ...flow.dataset, ...(flow.test ?? [])];

describe('tags:forImage', () => {
  it('groups every tag of an image as source, labeling, dataset and test', async () => {
    const flow = await call<TagFlowView>(engineer, 'tags:forImage', { imageId });
    const institution = flow.source.find((t) => t.id === 'source:institution');
    expect(institution).toMatchObject({ value: 'North Clinic', by: 'Oskar Ops', link: { kind: 'tag', namespace: 'source', key: 'institution', value: 'North Clinic' } });
    expect(institution?.history).toEqual([
      expect.objectContaining({ oldValue: null, newValue: 'Demo Hospital', changedBy: null }),
      expect.objectContaining({ oldValue: 'Demo Hospital', newValue: 'North Clinic', changedBy: 'Oskar Ops' }),
    ]);
    expect(flow.source.find((t) => t.id === 'source:modality')?.value).toBe('OT');

    expect(flow.dataset.map((t) => [t.label, t.value])).toEqual([
      ['Demo application test', 'v1'],
      ['Nodules to label', 'v1'],
    ]);
    expect(flow.dataset[0]?.facts).toContainEqual({ key: 'frozen', value: true });

    const labeling = flow.labeling.map((t) => t.id.split(':')[0]);
    expect(labeling).toEqual(['labeling-dataset', 'ticket', 'annotation', 'annotation', 'ground-truth']);
    const annotator = flow.labeling.find((t) => t.label === 'annotator');
    expect(annotator).toMatchObject({ value: 'Anna Annotator' });
    expect(annotator?.facts).toContainEqual({ key: 'versions', value: 2 });
    expect(flow.labeling.find((t) => t.label === 'gold')?.value).toBe('Dr. Erin Expert');

    // Both demo runs include it, each with its outcome, and the quantified label's value.
    const runTags = (flow.test ?? []).filter((t) => t.id.startsWith('run:'));
    expect(runTags.map((t) => t.label)).toEqual(['DemoNet v1', 'DemoNet v2']);
    const stored = app.services.db.prepare('SELECT run_id, outcome FROM run_outcomes WHERE image_id = ? ORDER BY run_id').all(imageId) as { run_id: number; outcome: string }[];
    expect(runTags.map((t) => t.value)).toEqual(stored.map((s) => s.outcome));
    expect((flow.test ?? []).filter((t) => t.id.startsWith('quant:'))).toHaveLength(2);
  });

  it('resolves every link back to a set of images that contains the image', async () => {
    const flow = await call<TagFlowView>(engineer, 'tags:forImage', { imageId });
    const tags = tagsOf(flow);
    expect(tags.length).toBeGreaterThan(10);
    for (const tag of tags) {
      if (!tag.link) continue;
      const ids = await allImages(engineer, tag.link);
      expect(ids, tag.id).toContain(imageId);
      expect([...ids].sort((a, b) => a - b), tag.id).toEqual(ids);
    }
  });

  it('resolves a dataset tag to exactly the images of that version, and a run outcome to exactly its outcomes', async () => {
    const flow = await call<TagFlowView>(engineer, 'tags:forImage', { imageId });
    const dataset = flow.dataset.find((t) => t.label === 'Demo application test') as FlowTag;
    expect(await allImages(engineer, dataset.link as TagLink)).toEqual(await call<number[]>(engineer, 'datasets:imageIds', { id: testDatasetId }));
    const run = (flow.test ?? []).find((t) => t.id === `run:${runIds[0] as number}`) as FlowTag;
    const expected = (app.services.db.prepare('SELECT image_id FROM run_outcomes WHERE run_id = ? AND outcome = ? ORDER BY image_id').all(runIds[0], run.value) as { image_id: number }[]).map((r) => r.image_id);
    expect(await allImages(engineer, run.link as TagLink)).toEqual(expected);
    const wrong = await call<TaggedImagesView>(engineer, 'tags:images', { link: { kind: 'run-outcome', runId: runIds[0], outcome: 'wrong', className: null } });
    expect(wrong.total).toBe(5);
    expect(wrong.title).toBe('DemoNet v1: wrong');
  });

  it('shows ops no test tags and refuses them run links; the reads are audited', async () => {
    const flow = await call<TagFlowView>(ops, 'tags:forImage', { imageId });
    expect(flow.test).toBeNull();
    expect(flow.dataset.length).toBe(2);
    const r = await app.dispatch(ops, 'tags:images', { link: { kind: 'run-outcome', runId: runIds[0], outcome: 'wrong', className: null } });
    expect(r.ok ? null : r.error.code).toBe('FORBIDDEN');
    const audited = app.services.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'tags:forImage' AND outcome = 0").get() as { n: number };
    expect(audited.n).toBeGreaterThanOrEqual(4);
  });

  it('refuses an unknown image and a link to nothing with NOT_FOUND', async () => {
    const a = await app.dispatch(engineer, 'tags:forImage', { imageId: 999_999 });
    expect(a.ok ? null : a.error.code).toBe('NOT_FOUND');
    const b = await app.dispatch(engineer, 'tags:images', { link: { kind: 'dataset', datasetId: testDatasetId, version: 9 } });
    expect(b.ok ? null : b.error.code).toBe('NOT_FOUND');
  });
});

describe('runs:slice', () => {
  it('recomputes a run per institution; the slices add up to the whole run', async () => {
    const runId = runIds[0] as number;
    const view = await call<RunSliceView>(engineer, 'runs:slice', { runId, tagKey: 'institution' });
    const run = await call<RunView>(engineer, 'runs:get', { id: runId });
    if (run.metrics?.task !== 'classification' || view.whole.result.task !== 'classification') throw new Error('a classification run');
    expect(view.slices.map((s) => [s.value, s.images])).toEqual([
      ['Demo Hospital', 12],
      ['North Clinic', 8],
      [null, 4],
    ]);
    expect(view.classes).toEqual(run.metrics.classes);
    expect(view.whole.images).toBe(24);
    expect(view.whole.result.metrics.accuracy).toBeCloseTo(run.metrics.accuracy as number, 12);
    expect(view.whole.result.confusion).toEqual(run.metrics.confusion);
    expect(view.whole.result.metrics.perClass).toEqual(run.metrics.perClass);
    // Cell by cell, the slices' confusion counts add up to the run's.
    const sum = run.metrics.confusion.map((row) => row.map(() => 0));
    for (const s of view.slices) {
      if (s.result.task !== 'classification') throw new Error('classification slices');
      s.result.confusion.forEach((row, i) => row.forEach((v, j) => ((sum[i] as number[])[j] = ((sum[i] as number[])[j] as number) + v)));
      const correct = s.result.confusion.reduce((acc, row, i) => acc + (row[i] as number), 0);
      expect(s.result.metrics.accuracy).toBeCloseTo(correct / s.images, 12);
    }
    expect(sum).toEqual(run.metrics.confusion);
    expect(view.slices.reduce((n, s) => n + s.images, 0)).toBe(view.whole.images);
    expect(view.slices[0]?.link).toEqual({ kind: 'tag', namespace: 'source', key: 'institution', value: 'Demo Hospital' });
  });

  it('puts every image in one slice for a tag nobody has', async () => {
    const view = await call<RunSliceView>(engineer, 'runs:slice', { runId: runIds[1], tagKey: 'manufacturer' });
    expect(view.slices.map((s) => [s.value, s.images])).toEqual([[null, 24]]);
  });
});

describe('detection slices', () => {
  it('count from stored box outcomes exactly what the engine counts', () => {
    // Three images, two classes, a confusion, a duplicate, a miss and tied scores.
    const gt: GtBox[] = [
      { imageKey: '1', className: 'a', x: 0, y: 0, w: 10, h: 10 },
      { imageKey: '1', className: 'b', x: 20, y: 20, w: 10, h: 10 },
      { imageKey: '2', className: 'a', x: 0, y: 0, w: 10, h: 10 },
      { imageKey: '3', className: 'a', x: 5, y: 5, w: 10, h: 10 },
    ];
    const pred: PredBox[] = [
      { imageKey: '1', className: 'a', score: 0.9, x: 0, y: 0, w: 10, h: 10 },
      { imageKey: '1', className: 'a', score: 0.8, x: 1, y: 1, w: 10, h: 10 },
      { imageKey: '1', className: 'b', score: 0.7, x: 50, y: 50, w: 5, h: 5 },
      { imageKey: '2', className: 'a', score: 0.8, x: 0, y: 0, w: 9, h: 10 },
      { imageKey: '3', className: 'b', score: 0.6, x: 5, y: 5, w: 10, h: 10 },
    ];
    const e = evaluateDetection({ source: 'gt', rows: gt }, { source: 'pred', rows: pred }, { iou: 0.5 });
    // The rows storeComputation writes: predictions in order, then the unmatched boxes.
    const rows: SliceBoxRow[] = [];
    pred.forEach((p, j) => rows.push({ seq: rows.length, image_id: Number(p.imageKey), class_name: p.className, outcome: e.predMatch[j] === -1 ? 'fp' : 'tp', score: p.score, tag: null }));
    gt.forEach((g, k) => e.gtMatch[k] === -1 && rows.push({ seq: rows.length, image_id: Number(g.imageKey), class_name: g.className, outcome: 'fn', score: null, tag: null }));
    expect(detectionMetrics(rows, 0.5)).toEqual(e.metrics);
  });
});

describe('runs:report', () => {
  it('is one self-contained HTML document with the run’s figures, charts, standards and snapshot', async () => {
    const runId = runIds[0] as number;
    const run = await call<RunView>(engineer, 'runs:get', { id: runId });
    const report = await call<RunReport>(engineer, 'runs:report', { runId });
    const { html } = report;
    expect(report.fileName).toBe('DemoNet_v1-report.html');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('DemoNet v1');
    expect(html).toContain(run.snapshot?.hash);
    if (run.metrics?.task !== 'classification') throw new Error('a classification run');
    expect(html).toContain(`<td>${(run.metrics.accuracy as number).toFixed(3)}</td>`);
    for (const c of run.metrics.classes) expect(html).toContain(`>${c}</text>`);
    // Confusion heat map, per-class bars, and the ROC/PR curves (the demo predictions have scores).
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('<svg class="curves"');
    for (const c of run.metrics.classes) {
      const auc = run.metrics.perClass[c]?.auc as number;
      expect(html).toContain(`>${c} AUC ${Number.isInteger(auc) ? String(auc) : auc.toFixed(3)}</text>`);
    }
    for (const s of run.standards) expect(html).toContain(s.name.replace('≥', '≥'));
    expect(html).toMatch(/class="(pass|fail)"/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/http/i);
    expect(html).not.toMatch(/\bsrc=|url\(/i);
    const zh = await call<RunReport>(engineer, 'runs:report', { runId, lang: 'zh-CN' });
    expect(zh.html).toContain('测试运行报告');
  });

  it('escapes names: a run name cannot inject markup', async () => {
    const { escapeHtml } = await import('./report');
    expect(escapeHtml('<script>alert("x")</script>')).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });
});
