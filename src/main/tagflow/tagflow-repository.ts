import type { DatasetPurpose, ModelTask, TagLink } from '../../shared/contract';
import type { ReadableDB } from '../db/types';

/**
 * The SQL of the tag flow: read-only queries over the tables of migrations 0002 (image tags and
 * their history), 0003 (dataset versions), 0005 (tickets, annotations) and 0006 (ground truth,
 * run outcomes, quantified values). Every value is a bound parameter.
 */

export interface ImageHead {
  id: number;
  original_name: string;
}

export function imageHead(db: ReadableDB, imageId: number): ImageHead | undefined {
  return db.prepare('SELECT id, original_name FROM images WHERE id = ?').get(imageId) as ImageHead | undefined;
}

export interface TagRow {
  namespace: string;
  key: string;
  value: string;
  origin: 'file' | 'import' | 'user';
  updated_at: string;
  updated_by: string | null;
}

export function imageTags(db: ReadableDB, imageId: number): TagRow[] {
  return db
    .prepare(
      `SELECT t.namespace, t.key, t.value, t.origin, t.updated_at, u.display_name AS updated_by
       FROM image_tags t LEFT JOIN users u ON u.id = t.updated_by
       WHERE t.image_id = ? ORDER BY t.namespace = 'source' DESC, t.namespace, t.key`,
    )
    .all(imageId) as TagRow[];
}

export interface TagHistoryRow {
  namespace: string;
  key: string;
  old_value: string | null;
  new_value: string | null;
  changed_at: string;
  changed_by: string | null;
}

/**
 * Every change of the image's tags, oldest first. The values read from the file at import
 * have no rows of their own (ingest-repository.ts: they are the stored file's own values, and
 * were half the rows an import wrote); each shows here as the tag's first change, at the
 * image's import: the value still held by a tag of origin `file`, or the value the tag's first
 * recorded change replaced. Workspaces imported before kept explicit rows, which start with
 * an old value of null, so nothing is shown twice.
 */
/** One tag of an image, as a map key: namespace and key. */
export const tagIdentity = (t: { namespace: string; key: string }): string => `${t.namespace}\u0000${t.key}`;

export function imageTagHistory(db: ReadableDB, imageId: number): TagHistoryRow[] {
  const stored = db
    .prepare(
      `SELECT h.namespace, h.key, h.old_value, h.new_value, h.changed_at, u.display_name AS changed_by
       FROM image_tag_history h LEFT JOIN users u ON u.id = h.changed_by
       WHERE h.image_id = ? ORDER BY h.id`,
    )
    .all(imageId) as TagHistoryRow[];
  const importedAt = db.prepare('SELECT imported_at FROM images WHERE id = ?').pluck().get(imageId) as string | undefined;
  if (importedAt === undefined) return stored;
  const first = new Map<string, TagHistoryRow>();
  for (const row of stored) if (!first.has(tagIdentity(row))) first.set(tagIdentity(row), row);
  const fromFile: TagHistoryRow[] = [];
  const asRead = db.prepare("SELECT namespace, key, value FROM image_tags WHERE image_id = ? AND origin = 'file' ORDER BY namespace, key").all(imageId) as { namespace: string; key: string; value: string }[];
  for (const t of asRead) {
    if (!first.has(tagIdentity(t))) fromFile.push({ namespace: t.namespace, key: t.key, old_value: null, new_value: t.value, changed_at: importedAt, changed_by: null });
  }
  for (const row of first.values()) {
    if (row.old_value !== null) fromFile.push({ namespace: row.namespace, key: row.key, old_value: null, new_value: row.old_value, changed_at: importedAt, changed_by: null });
  }
  return [...fromFile, ...stored];
}

export interface MembershipRow {
  dataset_id: number;
  name: string;
  purpose: DatasetPurpose;
  version: number;
  image_count: number;
  created_at: string;
  created_by: string | null;
  frozen_at: string | null;
  latest_version: number;
}

/** Every dataset version the image is in, by dataset then version. */
export function imageMemberships(db: ReadableDB, imageId: number): MembershipRow[] {
  return db
    .prepare(
      `SELECT d.id AS dataset_id, d.name, d.purpose, v.version, v.image_count, v.created_at, u.display_name AS created_by, v.frozen_at,
              (SELECT max(version) FROM dataset_versions WHERE dataset_id = d.id) AS latest_version
       FROM dataset_images di
       JOIN dataset_versions v ON v.id = di.version_id
       JOIN datasets d ON d.id = v.dataset_id
       LEFT JOIN users u ON u.id = v.created_by
       WHERE di.image_id = ? ORDER BY d.id, v.version`,
    )
    .all(imageId) as MembershipRow[];
}

export interface TicketHoldingRow {
  ticket_id: number;
  name: string;
  state: string;
  dataset_id: number;
  dataset_name: string;
  assignee: string | null;
  added_at: string | null;
  released_at: string | null;
}

/** Every ticket that holds or held the image, oldest holding first. */
export function imageTickets(db: ReadableDB, imageId: number): TicketHoldingRow[] {
  return db
    .prepare(
      `SELECT t.id AS ticket_id, t.name, t.state, t.dataset_id, d.name AS dataset_name, u.display_name AS assignee,
              ea.at AS added_at, er.at AS released_at
       FROM ticket_images ti
       JOIN tickets t ON t.id = ti.ticket_id
       JOIN datasets d ON d.id = t.dataset_id
       LEFT JOIN users u ON u.id = t.assignee_id
       LEFT JOIN ticket_events ea ON ea.id = ti.added_event_id
       LEFT JOIN ticket_events er ON er.id = ti.released_event_id
       WHERE ti.image_id = ? ORDER BY ti.id`,
    )
    .all(imageId) as TicketHoldingRow[];
}

export interface AnnotationTrackRow {
  track: string;
  dataset_id: number;
  dataset_name: string;
  kind: 'annotator' | 'reviewer' | 'gold';
  ticket_id: number | null;
  author: string;
  versions: number;
  revision: number;
  first_at: string;
  last_at: string;
  accepted: number;
}

/** One row per annotation track (an author's chain of versions) of the image, newest version's facts. */
export function imageAnnotationTracks(db: ReadableDB, imageId: number): AnnotationTrackRow[] {
  return db
    .prepare(
      `SELECT a.track, a.dataset_id, d.name AS dataset_name, a.kind, a.ticket_id, u.display_name AS author,
              count(*) AS versions, max(a.revision) AS revision, min(a.created_at) AS first_at, max(a.created_at) AS last_at,
              max(EXISTS (SELECT 1 FROM annotation_acceptances x WHERE x.annotation_id = a.id)) AS accepted
       FROM annotations a JOIN users u ON u.id = a.author_id JOIN datasets d ON d.id = a.dataset_id
       WHERE a.image_id = ? GROUP BY a.track ORDER BY min(a.id)`,
    )
    .all(imageId) as AnnotationTrackRow[];
}

export interface GroundTruthItemRow {
  gt_set_id: number;
  dataset_id: number;
  dataset_name: string;
  task: ModelTask;
  source_name: string;
  created_at: string;
  created_by: string | null;
  class_name: string | null;
  boxes: number;
}

/** The image's labels in the current (newest) imported ground truth of each dataset and task. */
export function imageGroundTruth(db: ReadableDB, imageId: number): GroundTruthItemRow[] {
  return db
    .prepare(
      `SELECT s.id AS gt_set_id, s.dataset_id, d.name AS dataset_name, s.task, s.source_name, s.created_at, u.display_name AS created_by,
              gi.class_name, count(*) AS boxes
       FROM gt_items gi
       JOIN gt_sets s ON s.id = gi.gt_set_id
       JOIN datasets d ON d.id = s.dataset_id
       LEFT JOIN users u ON u.id = s.created_by
       WHERE gi.image_id = ? AND s.id = (SELECT max(id) FROM gt_sets WHERE dataset_id = s.dataset_id AND task = s.task)
       GROUP BY s.id, gi.class_name ORDER BY s.id, gi.class_name`,
    )
    .all(imageId) as GroundTruthItemRow[];
}

export interface ImageRunRow {
  run_id: number;
  name: string;
  task: ModelTask;
  model_name: string;
  dataset_name: string;
  version: number;
  created_at: string;
}

/** Every run whose dataset version contains the image. */
export function imageRuns(db: ReadableDB, imageId: number): ImageRunRow[] {
  return db
    .prepare(
      `SELECT r.id AS run_id, r.name, r.task, m.name AS model_name, d.name AS dataset_name, v.version, r.created_at
       FROM runs r JOIN models m ON m.id = r.model_id JOIN datasets d ON d.id = r.dataset_id JOIN dataset_versions v ON v.id = r.version_id
       WHERE r.version_id IN (SELECT version_id FROM dataset_images WHERE image_id = ?) ORDER BY r.id`,
    )
    .all(imageId) as ImageRunRow[];
}

export interface ImageOutcomeRow {
  run_id: number;
  true_class: string;
  predicted_class: string | null;
  score: number | null;
  outcome: 'correct' | 'wrong' | 'missed';
}

export function imageOutcomes(db: ReadableDB, imageId: number): ImageOutcomeRow[] {
  return db.prepare('SELECT run_id, true_class, predicted_class, score, outcome FROM run_outcomes WHERE image_id = ? ORDER BY run_id').all(imageId) as ImageOutcomeRow[];
}

export interface ImageBoxCountRow {
  run_id: number;
  class_name: string;
  outcome: 'tp' | 'fp' | 'fn';
  boxes: number;
}

export function imageBoxCounts(db: ReadableDB, imageId: number): ImageBoxCountRow[] {
  return db
    .prepare(
      `SELECT run_id, class_name, outcome, count(*) AS boxes FROM run_box_outcomes WHERE image_id = ?
       GROUP BY run_id, class_name, outcome ORDER BY run_id, class_name, outcome`,
    )
    .all(imageId) as ImageBoxCountRow[];
}

export interface ImageQuantRow {
  run_id: number;
  matrix_id: number;
  name: string;
  version: number;
  value: number;
}

export function imageQuantValues(db: ReadableDB, imageId: number): ImageQuantRow[] {
  return db
    .prepare(
      `SELECT v.run_id, v.matrix_id, q.name, q.version, v.value FROM run_quant_values v JOIN quant_matrices q ON q.id = v.matrix_id
       WHERE v.image_id = ? ORDER BY v.run_id, v.matrix_id`,
    )
    .all(imageId) as ImageQuantRow[];
}

/** The query of the image ids a link names (`SELECT image_id …`, distinct), or null when its object does not exist. */
function linkQuery(db: ReadableDB, link: TagLink): { sql: string; params: (string | number | null)[] } | null {
  switch (link.kind) {
    case 'tag':
      return { sql: 'SELECT image_id FROM image_tags WHERE namespace = ? AND key = ? AND value = ?', params: [link.namespace, link.key, link.value] };
    case 'dataset': {
      const v = db.prepare('SELECT id FROM dataset_versions WHERE dataset_id = ? AND version = ?').get(link.datasetId, link.version) as { id: number } | undefined;
      return v ? { sql: 'SELECT image_id FROM dataset_images WHERE version_id = ?', params: [v.id] } : null;
    }
    case 'ticket':
      if (!db.prepare('SELECT 1 FROM tickets WHERE id = ?').get(link.ticketId)) return null;
      return { sql: 'SELECT DISTINCT image_id FROM ticket_images WHERE ticket_id = ?', params: [link.ticketId] };
    case 'annotation':
      return { sql: 'SELECT DISTINCT image_id FROM annotations WHERE dataset_id = ? AND kind = ?', params: [link.datasetId, link.annotationKind] };
    case 'ground-truth':
      if (!db.prepare('SELECT 1 FROM gt_sets WHERE id = ?').get(link.gtSetId)) return null;
      return { sql: 'SELECT DISTINCT image_id FROM gt_items WHERE gt_set_id = ? AND class_name IS ?', params: [link.gtSetId, link.className] };
    case 'run-outcome': {
      const run = db.prepare('SELECT task FROM runs WHERE id = ?').get(link.runId) as { task: ModelTask } | undefined;
      if (!run) return null;
      if (run.task === 'classification') {
        return { sql: 'SELECT image_id FROM run_outcomes WHERE run_id = ? AND outcome = ? AND (? IS NULL OR true_class = ?)', params: [link.runId, link.outcome, link.className, link.className] };
      }
      return {
        sql: 'SELECT DISTINCT image_id FROM run_box_outcomes WHERE run_id = ? AND outcome = ? AND (? IS NULL OR class_name = ?)',
        params: [link.runId, link.outcome, link.className, link.className],
      };
    }
    case 'run-quant':
      if (!db.prepare('SELECT 1 FROM runs WHERE id = ?').get(link.runId)) return null;
      return { sql: 'SELECT image_id FROM run_quant_values WHERE run_id = ? AND matrix_id = ? AND value = ?', params: [link.runId, link.matrixId, link.value] };
  }
}

/** A page of the images a link names, ascending, with their total; undefined when the linked object does not exist. */
export function linkedImages(db: ReadableDB, link: TagLink, offset: number, limit: number): { total: number; imageIds: number[] } | undefined {
  const q = linkQuery(db, link);
  if (!q) return undefined;
  const total = (db.prepare(`SELECT count(*) AS n FROM (${q.sql})`).get(...q.params) as { n: number }).n;
  const imageIds = (db.prepare(`SELECT image_id FROM (${q.sql}) ORDER BY image_id LIMIT ? OFFSET ?`).all(...q.params, limit, offset) as { image_id: number }[]).map((r) => r.image_id);
  return { total, imageIds };
}

export interface SliceOutcomeRow {
  image_id: number;
  true_class: string;
  predicted_class: string | null;
  score: number | null;
  tag: string | null;
}

/** A classification run's stored outcomes, each with the image's value of a source tag. */
export function outcomesWithTag(db: ReadableDB, runId: number, tagKey: string): SliceOutcomeRow[] {
  return db
    .prepare(
      `SELECT o.image_id, o.true_class, o.predicted_class, o.score, t.value AS tag
       FROM run_outcomes o LEFT JOIN image_tags t ON t.image_id = o.image_id AND t.namespace = 'source' AND t.key = ?
       WHERE o.run_id = ? ORDER BY o.image_id`,
    )
    .all(tagKey, runId) as SliceOutcomeRow[];
}

export interface SliceBoxRow {
  seq: number;
  image_id: number;
  class_name: string;
  outcome: 'tp' | 'fp' | 'fn';
  score: number | null;
  tag: string | null;
}

/** A detection run's stored box outcomes in their stored order, each with the image's value of a source tag. */
export function boxesWithTag(db: ReadableDB, runId: number, tagKey: string): SliceBoxRow[] {
  return db
    .prepare(
      `SELECT b.seq, b.image_id, b.class_name, b.outcome, b.score, t.value AS tag
       FROM run_box_outcomes b LEFT JOIN image_tags t ON t.image_id = b.image_id AND t.namespace = 'source' AND t.key = ?
       WHERE b.run_id = ? ORDER BY b.seq`,
    )
    .all(tagKey, runId) as SliceBoxRow[];
}
