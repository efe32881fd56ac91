import crypto from 'node:crypto';
import type { FileSource, GroundTruthImportResult, GroundTruthView, ImportProblem, ModelTask } from '../../shared/contract';
import type { Box } from '../../shared/metrics/geometry';
import { canonicalJson } from '../audit/canonical';
import type { ReadableDB, WritableDB } from '../db/types';
import { labelingGroundTruth } from '../labeling/core-data';
import { ImageKeyIndex } from './image-keys';
import { readRows } from './result-files';

/** One ground-truth label of an image: a class (classification), a box of a class, or "no object" (detection, className null). */
export interface GtLabel {
  readonly className: string | null;
  readonly box: Box | null;
}

export interface GroundTruthQuery {
  readonly datasetId: number;
  readonly imageIds: readonly number[];
  readonly task: ModelTask;
}

/**
 * A place ground truth comes from. Imported files are the first; labeling's gold-standard and
 * accepted annotations (DESIGN §2.2) plug in as further sources, listed before it so that an
 * image's newest gold standard wins over an imported label.
 */
export interface GroundTruthSource {
  readonly kind: string;
  /** The labels this source has for (some of) the images, and a token naming what was read (its version). */
  read(db: ReadableDB, query: GroundTruthQuery): { readonly token: string; readonly labels: ReadonlyMap<number, readonly GtLabel[]> } | null;
}

/** The effective ground truth of a set of images. */
export interface ResolvedGroundTruth {
  /** Images with ground truth, ascending, each with its labels. */
  readonly labels: ReadonlyMap<number, readonly GtLabel[]>;
  /** SHA-256 over every image's labels: any change to any image changes it. */
  readonly hash: string;
  readonly sources: { readonly kind: string; readonly token: string; readonly images: number }[];
}

/** The newest imported ground-truth set of the dataset for the task. */
export const importedGroundTruth: GroundTruthSource = {
  kind: 'import',
  read(db, q) {
    const set = newestSet(db, q.datasetId, q.task);
    if (!set) return null;
    const wanted = new Set(q.imageIds);
    const labels = new Map<number, GtLabel[]>();
    for (const item of setItems(db, set.id)) {
      if (!wanted.has(item.image_id)) continue;
      const list = labels.get(item.image_id) ?? [];
      list.push({ className: item.class_name, box: item.x === null ? null : { x: item.x, y: item.y as number, w: item.w as number, h: item.h as number } });
      labels.set(item.image_id, list);
    }
    return { token: `gt_set:${set.id}`, labels };
  },
};

/**
 * Sources by priority; labeling registers its sources in front of the import: images a
 * labeling admin submitted to the core data take their labeling ground truth (live rule).
 */
export const groundTruthSources: GroundTruthSource[] = [labelingGroundTruth, importedGroundTruth];

export function resolveGroundTruth(db: ReadableDB, q: GroundTruthQuery, sources: readonly GroundTruthSource[] = groundTruthSources): ResolvedGroundTruth {
  const labels = new Map<number, readonly GtLabel[]>();
  const used: { kind: string; token: string; images: number }[] = [];
  for (const source of sources) {
    const read = source.read(db, q);
    if (!read) continue;
    let images = 0;
    for (const [imageId, list] of read.labels) {
      if (labels.has(imageId) || list.length === 0) continue;
      labels.set(imageId, list);
      images++;
    }
    used.push({ kind: source.kind, token: read.token, images });
  }
  const ordered = new Map([...labels].sort((a, b) => a[0] - b[0]));
  const hash = crypto.createHash('sha256');
  for (const [imageId, list] of ordered) hash.update(`${imageId}:${canonicalJson(list)}\n`);
  return { labels: ordered, hash: hash.digest('hex'), sources: used };
}

interface SetRow {
  id: number;
  dataset_id: number;
  task: ModelTask;
  source_name: string;
  mode: 'replace' | 'merge' | 'copy';
  item_count: number;
  content_hash: string;
  refused: string;
  created_at: string;
}
interface ItemRow {
  image_id: number;
  class_name: string | null;
  x: number | null;
  y: number | null;
  w: number | null;
  h: number | null;
}

function newestSet(db: ReadableDB, datasetId: number, task: ModelTask): SetRow | undefined {
  return db.prepare('SELECT * FROM gt_sets WHERE dataset_id = ? AND task = ? ORDER BY id DESC LIMIT 1').get(datasetId, task) as SetRow | undefined;
}

function setItems(db: ReadableDB, setId: number): ItemRow[] {
  return db.prepare('SELECT image_id, class_name, x, y, w, h FROM gt_items WHERE gt_set_id = ? ORDER BY seq').all(setId) as ItemRow[];
}

export function groundTruthView(db: ReadableDB, datasetId: number, task: ModelTask): GroundTruthView | null {
  const set = newestSet(db, datasetId, task);
  if (!set) return null;
  const stats = db
    .prepare('SELECT count(DISTINCT image_id) AS images FROM gt_items WHERE gt_set_id = ?')
    .get(set.id) as { images: number };
  const classes = (db.prepare('SELECT DISTINCT class_name FROM gt_items WHERE gt_set_id = ? AND class_name IS NOT NULL').all(set.id) as { class_name: string }[])
    .map((r) => r.class_name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    id: set.id,
    datasetId: set.dataset_id,
    task: set.task,
    sourceName: set.source_name,
    mode: set.mode,
    imageCount: stats.images,
    itemCount: set.item_count,
    classes,
    contentHash: set.content_hash,
    createdAt: set.created_at,
    refused: JSON.parse(set.refused) as ImportProblem[],
  };
}

/** Every image that is or was in a version of the dataset. */
export function datasetImageIds(db: ReadableDB, datasetId: number): number[] {
  return (
    db
      .prepare('SELECT DISTINCT di.image_id FROM dataset_images di JOIN dataset_versions v ON v.id = di.version_id WHERE v.dataset_id = ? ORDER BY di.image_id')
      .all(datasetId) as { image_id: number }[]
  ).map((r) => r.image_id);
}

interface NewItem {
  imageId: number;
  className: string | null;
  box: Box | null;
}

/** Checks a ground-truth file against the dataset; what `importGroundTruth` then stores. */
export function prepareGroundTruth(
  db: ReadableDB,
  datasetId: number,
  task: ModelTask,
  source: FileSource,
): { file: string; contentHash: string; rowsTotal: number; items: NewItem[]; problems: ImportProblem[] } {
  const read = readRows(source, task, 'gt');
  const problems = [...read.problems];
  const index = new ImageKeyIndex(db, datasetImageIds(db, datasetId));
  const items: NewItem[] = [];
  const firstLine = new Map<string, number>();
  const emptyOrBoxes = new Map<number, 'empty' | 'boxes'>();
  for (const row of read.rows) {
    const match = index.resolve(row.key);
    if ('problem' in match) {
      problems.push({ file: read.file, line: row.line, field: 'image_key', problem: match.problem });
      continue;
    }
    const dupKey = task === 'classification' ? `${match.imageId}` : `${match.imageId}|${canonicalJson([row.className, row.box])}`;
    const first = firstLine.get(dupKey);
    if (first !== undefined) {
      problems.push({
        file: read.file,
        line: row.line,
        field: 'image_key',
        problem: task === 'classification' ? `duplicate row for image "${row.key}" (first on line ${first})` : `duplicate box for image "${row.key}" (first on line ${first})`,
      });
      continue;
    }
    if (task === 'detection') {
      const kind = row.className === null ? 'empty' : 'boxes';
      const seen = emptyOrBoxes.get(match.imageId);
      if (seen && seen !== kind) {
        problems.push({ file: read.file, line: row.line, field: 'class', problem: `image "${row.key}" is declared both without objects and with boxes` });
        continue;
      }
      emptyOrBoxes.set(match.imageId, kind);
    }
    firstLine.set(dupKey, row.line);
    items.push({ imageId: match.imageId, className: row.className, box: row.box });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { file: read.file, contentHash: read.contentHash, rowsTotal: read.rowsTotal, items, problems };
}

/**
 * Stores a prepared ground truth as a new set (append-only). `merge` keeps the previous set's
 * labels of every image the file does not name, so a one-line file corrects one image.
 */
export function storeGroundTruth(
  db: WritableDB,
  g: {
    datasetId: number;
    task: ModelTask;
    sourceName: string;
    mode: 'replace' | 'merge' | 'copy';
    items: readonly NewItem[];
    refused: readonly ImportProblem[];
    createdBy: number | null;
    createdAt: string;
  },
): number {
  const previous = g.mode === 'merge' ? newestSet(db, g.datasetId, g.task) : undefined;
  let items = [...g.items];
  if (previous) {
    const named = new Set(items.map((i) => i.imageId));
    const kept = setItems(db, previous.id)
      .filter((r) => !named.has(r.image_id))
      .map((r) => ({ imageId: r.image_id, className: r.class_name, box: r.x === null ? null : { x: r.x, y: r.y as number, w: r.w as number, h: r.h as number } }));
    items = [...kept, ...items];
  }
  items.sort((a, b) => a.imageId - b.imageId);
  const contentHash = crypto.createHash('sha256').update(canonicalJson(items)).digest('hex');
  const setId = Number(
    db
      .prepare('INSERT INTO gt_sets (dataset_id, task, source_name, mode, parent_id, item_count, content_hash, refused, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(g.datasetId, g.task, g.sourceName, g.mode, previous?.id ?? null, items.length, contentHash, JSON.stringify(g.refused), g.createdBy, g.createdAt).lastInsertRowid,
  );
  const add = db.prepare('INSERT INTO gt_items (gt_set_id, seq, image_id, class_name, x, y, w, h) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  items.forEach((item, seq) => add.run(setId, seq, item.imageId, item.className, item.box?.x ?? null, item.box?.y ?? null, item.box?.w ?? null, item.box?.h ?? null));
  return setId;
}

/** Copies the current ground truth of `fromDataset` restricted to `imageIds` into `toDataset` (splits). */
export function copyGroundTruth(db: WritableDB, fromDataset: number, toDataset: number, imageIds: readonly number[], createdBy: number | null, createdAt: string): void {
  for (const task of ['classification', 'detection'] as const) {
    const resolved = resolveGroundTruth(db, { datasetId: fromDataset, imageIds, task });
    if (resolved.labels.size === 0) continue;
    const items: NewItem[] = [];
    for (const [imageId, list] of resolved.labels) for (const l of list) items.push({ imageId, className: l.className, box: l.box });
    storeGroundTruth(db, { datasetId: toDataset, task, sourceName: `copy of dataset ${fromDataset}`, mode: 'copy', items, refused: [], createdBy, createdAt });
  }
}

export type { GroundTruthImportResult };
