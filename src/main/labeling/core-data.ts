import type { CoreDataStatusView, ImageGroundTruthView, ModelTask } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { markBbox } from '../../shared/labeling/geometry';
import type { AnnotationDoc } from '../../shared/labeling/marks';
import { isAreaShape, type LabelSchema } from '../../shared/labeling/schema';
import type { Session } from '../auth/sessions';
import type { ReadableDB, WritableDB } from '../db/types';
import type { GroundTruthSource, GtLabel } from '../evaluation/ground-truth';
import { setTag } from '../ingest/ingest-repository';
import type { CallContext } from '../ipc/registry';
import { labelingDataset } from './access';
import { groundTruth } from './annotations-service';
import { latestSummary } from './labeling-repository';

/**
 * Labeling → core data (issue 4 item 2, DESIGN §2.2).
 *
 * "Submit to core data" publishes a labeling dataset's current ground truth: every image that
 * has one (newest gold standard, else accepted annotation) gets labeling tags in the image tag
 * namespace `labeling` (tag flow, "labeling" group, with their history):
 * - `dataset`: the labeling dataset whose ground truth the image now carries in the core data;
 * - `type`: what the labels give evaluation: `classification`, `detection`, both joined by `+`,
 *   or `none` (an image judged to hold nothing);
 * - `object`: the lesion classes of its marks, sorted and comma-separated, or `none`;
 * - `truth`: which version is the truth, e.g. `gold #17` or `accepted #12`.
 *
 * From then on the dataset is a ground-truth source of evaluation (`labelingGroundTruth`,
 * registered in src/main/evaluation/ground-truth.ts in front of imported files). It reads the
 * **live** rule, not a frozen release: a gold correction made after the submission changes the
 * image's ground truth at once, so every run over that image turns stale and regenerates
 * (DESIGN §4.1, issue 5). The correction also refreshes the image's labeling tags (see
 * `refreshImageTags`), so the tag history records it.
 *
 * Mapping to evaluation labels:
 * - classification: the annotation's image class (an annotation without one gives no label and
 *   the next source, e.g. an imported file, may supply it);
 * - detection: one box with class per area mark — rectangle as drawn; ellipse as its
 *   circumscribed axis-aligned box (cx − rx, cy − ry, 2rx, 2ry); freehand as the axis-aligned
 *   bounding box of its vertices (the COCO export's `bbox`, `markBbox`). Length, bidirectional,
 *   probe and arrow marks are measurements, not objects, and give no box. An annotation without
 *   area marks means "no object" when the schema has area shapes at all (else it says nothing
 *   about detection). The frame of a multi-frame mark is not kept: boxes are per image.
 */
export const LABELING_NAMESPACE = 'labeling';

export function labelsFor(doc: AnnotationDoc, task: ModelTask, schema: LabelSchema | undefined): GtLabel[] {
  if (task === 'classification') return doc.imageClass === null ? [] : [{ className: doc.imageClass, box: null }];
  const boxes: GtLabel[] = doc.marks
    .filter((m) => isAreaShape(m.shape))
    .map((m) => {
      const [x, y, w, h] = markBbox(m);
      return { className: m.class, box: { x, y, w, h } };
    })
    .sort((a, b) => (a.className ?? '').localeCompare(b.className ?? '') || (a.box?.x ?? 0) - (b.box?.x ?? 0) || (a.box?.y ?? 0) - (b.box?.y ?? 0));
  if (boxes.length > 0) return boxes;
  const detects = schema?.classes.some((c) => c.shapes.some(isAreaShape)) ?? false;
  return detects ? [{ className: null, box: null }] : [];
}

/** The labeling dataset each of the images was published from (its `labeling.dataset` tag). */
function publishedFrom(db: ReadableDB, imageIds: readonly number[]): Map<number, number[]> {
  const rows = db
    .prepare(
      `SELECT t.image_id, d.id AS dataset_id FROM image_tags t JOIN datasets d ON d.name = t.value AND d.purpose = 'labeling'
       WHERE t.namespace = ? AND t.key = 'dataset' AND t.image_id IN (SELECT value FROM json_each(?)) ORDER BY t.image_id`,
    )
    .all(LABELING_NAMESPACE, JSON.stringify(imageIds)) as { image_id: number; dataset_id: number }[];
  const byDataset = new Map<number, number[]>();
  for (const r of rows) (byDataset.get(r.dataset_id) ?? byDataset.set(r.dataset_id, []).get(r.dataset_id))?.push(r.image_id);
  return byDataset;
}

/** Evaluation's ground-truth source for images published from labeling (live rule). */
export const labelingGroundTruth: GroundTruthSource = {
  kind: 'labeling',
  read(db, q) {
    const labels = new Map<number, GtLabel[]>();
    const tokens: string[] = [];
    for (const [datasetId, imageIds] of publishedFrom(db, q.imageIds)) {
      const schema = latestSummary(db, datasetId)?.schema;
      let newest = 0;
      for (const g of groundTruth(db, datasetId, imageIds)) {
        if (!g.annotation) continue;
        const list = labelsFor(g.annotation.doc, q.task, schema);
        if (list.length === 0) continue;
        labels.set(g.imageId, list);
        newest = Math.max(newest, g.annotation.id);
      }
      if (newest > 0) tokens.push(`labeling:${datasetId}#${newest}`);
    }
    return labels.size === 0 ? null : { token: tokens.join('+'), labels };
  },
};

function tagValues(g: ImageGroundTruthView, schema: LabelSchema | undefined): { type: string; object: string; truth: string } | null {
  if (!g.annotation || !g.source) return null;
  const doc = g.annotation.doc;
  const types = [
    ...(labelsFor(doc, 'classification', schema).length > 0 ? ['classification'] : []),
    ...(labelsFor(doc, 'detection', schema).some((l) => l.box !== null) ? ['detection'] : []),
  ];
  const objects = [...new Set(doc.marks.map((m) => m.class))].sort((a, b) => a.localeCompare(b));
  return { type: types.join('+') || 'none', object: objects.join(', ') || 'none', truth: `${g.source} #${g.annotation.id}` };
}

function writeTags(w: WritableDB, datasetName: string, g: ImageGroundTruthView, schema: LabelSchema | undefined, at: string, by: number): boolean {
  const values = tagValues(g, schema);
  if (!values) return false;
  const set = (key: string, value: string) => setTag(w, { imageId: g.imageId, namespace: LABELING_NAMESPACE, key, value, origin: 'import', at, by });
  set('dataset', datasetName);
  set('type', values.type);
  set('object', values.object);
  set('truth', values.truth);
  return true;
}

/** Publishes the dataset's current ground truth into the core data (audited, one transaction). */
export function submitToCore(ctx: CallContext, session: Session, datasetId: number): CoreDataStatusView {
  const { db, clock } = ctx.app;
  const dataset = labelingDataset(db, datasetId);
  const at = new Date(clock.now()).toISOString();
  const published = ctx.write(
    (r: { images: number; gold: number; accepted: number }) => ({ type: 'dataset', id: datasetId, details: { action: 'submit-to-core', ...r } }),
    (w) => {
      const schema = latestSummary(w, datasetId)?.schema;
      const truths = groundTruth(w, datasetId).filter((g) => g.annotation !== null);
      if (truths.length === 0) {
        throw new AppError('VALIDATION', `"${dataset.name}" has no ground truth yet: accept a ticket or save a gold standard first.`, { field: 'datasetId' });
      }
      for (const g of truths) writeTags(w, dataset.name, g, schema, at, session.userId);
      return { images: truths.length, gold: truths.filter((g) => g.source === 'gold').length, accepted: truths.filter((g) => g.source === 'accepted').length };
    },
  );
  return { datasetId, ...published, updatedAt: at, updatedBy: session.username };
}

/**
 * After a gold correction: if the image is published from this dataset, its labeling tags
 * follow its new ground truth (inside the correction's transaction).
 */
export function refreshImageTags(w: WritableDB, datasetId: number, imageId: number, at: string, by: number): void {
  const dataset = labelingDataset(w, datasetId);
  if (!publishedFrom(w, [imageId]).get(datasetId)?.includes(imageId)) return;
  const g = groundTruth(w, datasetId, [imageId])[0];
  if (g) writeTags(w, dataset.name, g, latestSummary(w, datasetId)?.schema, at, by);
}

/** How much of the dataset is published in the core data, and the newest change of its published labels. */
export function coreStatus(db: ReadableDB, datasetId: number): CoreDataStatusView | null {
  const dataset = labelingDataset(db, datasetId);
  const counts = db
    .prepare(
      `SELECT count(*) AS images,
         coalesce(sum(EXISTS (SELECT 1 FROM image_tags g WHERE g.image_id = t.image_id AND g.namespace = t.namespace AND g.key = 'truth' AND g.value LIKE 'gold #%')), 0) AS gold
       FROM image_tags t WHERE t.namespace = ? AND t.key = 'dataset' AND t.value = ?`,
    )
    .get(LABELING_NAMESPACE, dataset.name) as { images: number; gold: number };
  if (counts.images === 0) return null;
  const newest = db
    .prepare(
      `SELECT x.updated_at AS at, u.username AS by FROM image_tags x
       JOIN image_tags t ON t.image_id = x.image_id AND t.namespace = x.namespace AND t.key = 'dataset' AND t.value = ?
       LEFT JOIN users u ON u.id = x.updated_by
       WHERE x.namespace = ? ORDER BY x.updated_at DESC LIMIT 1`,
    )
    .get(dataset.name, LABELING_NAMESPACE) as { at: string; by: string | null };
  return { datasetId, images: counts.images, gold: counts.gold, accepted: counts.images - counts.gold, updatedAt: newest.at, updatedBy: newest.by };
}
