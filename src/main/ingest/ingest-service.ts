import fs from 'node:fs';
import path from 'node:path';
import type { AppServices } from '../app-services';
import type { WritableDB } from '../db/types';
import { StoreSyncer } from '../storage/group-sync';
import { GroupCommitter, pipelined } from './group-commit';
import {
  countPendingPixels,
  createBatch,
  ensureBlob,
  finishBatch,
  imageIdBySha,
  imagesWithPhash,
  insertImage,
  insertItem,
  pendingPixelImages,
  setNewImageFileTags,
  setNewImageTag,
  setPixels,
  type ItemStatus,
  type NearDuplicate,
} from './ingest-repository';
import { deidentifySecret } from './deidentify/secret';
import { hammingDistance } from './pixels';
import type { FileResult, FileTask, PixelResult, PixelTask } from './process-file';
import { TaskError, TaskTimeoutError, WorkerCrashError, WorkerPool } from './worker-pool';

/** Per-file limits for untrusted input (RELIABILITY target 24). */
export interface ImportLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly maxOldGenerationSizeMb: number;
}
export const DEFAULT_LIMITS: ImportLimits = { maxBytes: 2 * 1024 ** 3, timeoutMs: 10_000, maxOldGenerationSizeMb: 512 };

export interface ImportOptions {
  /** Source tags set on every imported object (`--tag key=value`), over those read from the file. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly actor: { id: number | null; name: string };
  /** The built worker script (out/main/ingest-worker.js). */
  readonly workerFile: string;
  readonly limits?: Partial<ImportLimits>;
  readonly onProgress?: (p: ImportProgress) => void;
  /** Called once the batch exists, before any file is read (to register a cancel handle). */
  readonly onBatch?: (batch: number) => void;
  readonly signal?: AbortSignal;
  /** The IPC registry audits the call itself; the CLI lets the service do it. Default true. */
  readonly audit?: boolean;
  /** Store de-identified copies (src/main/ingest/deidentify) and tag them `deidentified=yes`. */
  readonly deidentify?: boolean;
  /**
   * Leave the pixel-derived data (thumbnails, perceptual hashes) queued (`pixels_pending`)
   * instead of computing it before returning; `computePendingPixels()` does it later.
   */
  readonly deferPixels?: boolean;
  readonly onPixelProgress?: (p: PixelProgress) => void;
}

export interface PixelProgress {
  readonly total: number;
  readonly done: number;
}

/** The source tag set on every object of a de-identified import. */
export const DEIDENTIFIED_TAG = { key: 'deidentified', value: 'yes' } as const;

export interface ImportProgress {
  readonly batch: number;
  readonly total: number;
  readonly done: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly quarantined: number;
}

export interface ImportItem {
  readonly path: string;
  readonly id: number | null;
  readonly sha256: string | null;
  readonly status: ItemStatus;
  readonly reason?: string;
}

/** The batch report of DESIGN §7 (`midc import --json`). */
export interface ImportReport {
  readonly batch: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly quarantined: { path: string; reason: string }[];
  readonly items: ImportItem[];
  readonly cancelled: boolean;
  /** The background pixel pass run after registering (absent when deferred or cancelled). */
  readonly pixels?: PixelReport;
}

export interface PixelReport {
  /** Images whose thumbnail and hash were made or found impossible (undecodable pixels). */
  readonly processed: number;
  /** Of those, how many got a thumbnail and hash. */
  readonly withHash: number;
  readonly ms: number;
}

/** Files under the given paths: folders walked recursively in name order; paths kept as given. */
export function expandInputs(inputs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (p: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      files.push(p); // reported as unreadable by the worker
      return;
    }
    if (!stat.isDirectory()) {
      files.push(p);
      return;
    }
    walkDir(p);
  };
  // Entries' types come with the listing: no stat per file (symlinks are followed by walk).
  const walkDir = (dir: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isFile()) files.push(full);
      else if (e.isDirectory()) walkDir(full);
      else walk(full);
    }
  };
  inputs.forEach(walk);
  return files;
}

/**
 * What an import needs of the app: the database, the clock, the workspace and the audit log.
 * The CLI builds just these (src/main/cli/ingest-context.ts) instead of the whole app.
 */
export type IngestServices = Pick<AppServices, 'db' | 'clock' | 'workspace' | 'audit'>;

/**
 * Files handed to each worker ahead of time: enough that the workers keep going while the
 * main thread runs a group's transaction (16 left them idle then: issue 3 benchmark). A task
 * is a path; the bytes stay in the worker. Then the largest group registered at once.
 */
const PIPELINE_PER_WORKER = 128;
const MAX_GROUP = 512;

type IngestPool = WorkerPool<FileTask | PixelTask, FileResult | PixelResult>;

function createPool(options: ImportOptions, limits: ImportLimits): IngestPool {
  return new WorkerPool<FileTask | PixelTask, FileResult | PixelResult>(options.workerFile, {
    timeoutMs: limits.timeoutMs,
    resourceLimits: { maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb },
    pipeline: PIPELINE_PER_WORKER,
  });
}

/**
 * Imports files and folders. Workers read, parse, hash and write each file's blob (without
 * an fsync of its own); the main thread commits them in groups: one sync of the store makes
 * the whole group's blobs and folders durable, then ONE immediate transaction registers the
 * group. Nothing is registered before its blob is durable, so a crash leaves whole files
 * registered or not at all, and running the import again finishes the job (a blob left torn
 * by a power cut is found by its hash and rewritten). Each file ends as imported, duplicate
 * (same bytes) or quarantined with a reason; one bad file never stops the batch. Thumbnails
 * and perceptual hashes are made afterwards by the pixel pass (`pixels_pending`).
 */
export async function importPaths(app: IngestServices, inputs: readonly string[], given: ImportOptions): Promise<ImportReport> {
  // De-identification (wt-deid): the workers get the workspace secret; every object gets the tag.
  const deidentify = given.deidentify ? { secret: deidentifySecret(app.db) } : undefined;
  const options: ImportOptions = deidentify ? { ...given, tags: { ...given.tags, [DEIDENTIFIED_TAG.key]: DEIDENTIFIED_TAG.value } } : given;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  // The workers start first: their start-up overlaps listing the inputs and opening the batch.
  const pool = createPool(options, limits);
  const { db } = app;
  const now = () => new Date(app.clock.now()).toISOString();
  let files: string[];
  let batch: number;
  try {
    files = expandInputs(inputs);
    batch = db
      .transaction(() =>
        createBatch(db, {
          startedAt: now(),
          actorId: options.actor.id,
          actorName: options.actor.name,
          inputs: [...inputs],
          options: { tags: options.tags ?? {}, ...(deidentify ? { deidentify: true } : {}) },
          total: files.length,
        }),
      )
      .immediate();
  } catch (err) {
    await pool.close();
    throw err;
  }
  options.onBatch?.(batch);

  const items: (ImportItem | undefined)[] = new Array(files.length);
  const counts = { imported: 0, duplicates: 0, quarantined: 0 };
  let done = 0;
  const storageRoot = app.workspace.storageDir;

  const syncer = new StoreSyncer(storageRoot);
  const committer = new GroupCommitter<{ seq: number; result: FileResult }>(async (group) => {
    const stored = group.map((g) => g.result.file).filter((f): f is string => f !== undefined);
    let syncError: Error | null = null;
    try {
      await syncer.sync(stored);
    } catch (err) {
      syncError = err as Error;
    }
    const at = now();
    db.transaction(() => {
      for (const { seq, result } of group) {
        // Blobs that could not be made durable are not registered: the files are reported.
        const r = syncError && result.file !== undefined ? storageFailure(result.path, syncError) : result;
        items[seq] = register(db, batch, seq, r, options, at);
      }
    }).immediate();
    for (const { seq } of group) {
      const item = items[seq] as ImportItem;
      counts[item.status === 'imported' ? 'imported' : item.status === 'duplicate' ? 'duplicates' : 'quarantined']++;
    }
    done += group.length;
    options.onProgress?.({ batch, total: files.length, done, ...counts });
  }, MAX_GROUP);

  let pixels: PixelReport | undefined;
  let cancelled: boolean;
  try {
    await pipelined(
      files.length,
      pool.size * PIPELINE_PER_WORKER,
      async (seq) => {
        const file = files[seq] as string;
        const result = (await pool.run({ path: file, storageRoot, maxBytes: limits.maxBytes, ...(deidentify ? { deidentify } : {}) }).catch((err: unknown) => failure(file, err))) as FileResult;
        committer.push({ seq, result });
      },
      () => options.signal?.aborted === true,
    );
    await committer.drain();
    cancelled = options.signal?.aborted === true || items.some((i) => i === undefined);
    finish(app, batch, files.length, counts, cancelled, options, now());
    if (!cancelled && !options.deferPixels) pixels = await runPixelPass(app, pool, syncer, options);
  } finally {
    syncer.close();
    await pool.close();
  }
  const finished = items.filter((i): i is ImportItem => i !== undefined);
  return {
    batch,
    ...counts,
    quarantined: finished.filter((i) => i.status === 'quarantined').map((i) => ({ path: i.path, reason: i.reason ?? '' })),
    items: finished,
    cancelled,
    ...(pixels ? { pixels } : {}),
  };
}

function finish(
  app: IngestServices,
  batch: number,
  files: number,
  counts: { imported: number; duplicates: number; quarantined: number },
  cancelled: boolean,
  options: ImportOptions,
  at: string,
): void {
  const { db } = app;
  db.transaction(() => {
    finishBatch(db, batch, { finishedAt: at, status: cancelled ? 'cancelled' : 'done', ...counts });
    if (options.audit === false) return;
    app.audit.record(db, {
      actorId: options.actor.id,
      actorName: options.actor.name,
      action: 'images:import',
      objectType: 'import_batch',
      objectId: batch,
      outcome: counts.quarantined > 0 ? 4 : 0,
      details: { files, ...counts, cancelled, tags: options.tags ?? {}, ...(options.deidentify ? { deidentify: true } : {}) },
    });
  }).immediate();
}

/**
 * The background pixel pass on its own (app start-up, or after imports run with
 * `deferPixels`): thumbnails and perceptual hashes of every image still pending.
 */
export async function computePendingPixels(
  app: IngestServices,
  options: Pick<ImportOptions, 'workerFile' | 'limits' | 'signal' | 'onPixelProgress'>,
): Promise<PixelReport> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const pool = createPool({ ...options, actor: { id: null, name: '' } }, limits);
  const syncer = new StoreSyncer(app.workspace.storageDir);
  try {
    return await runPixelPass(app, pool, syncer, options);
  } finally {
    syncer.close();
    await pool.close();
  }
}

/**
 * Makes the pending images' thumbnails (workers; blobs written deferred), syncs each group of
 * thumbnails, then records hash + thumbnail and clears `pixels_pending` in one transaction per
 * group. A crash leaves the rest pending; a stray thumbnail blob is re-used by the next pass.
 */
async function runPixelPass(
  app: IngestServices,
  pool: IngestPool,
  syncer: StoreSyncer,
  options: Pick<ImportOptions, 'signal' | 'onPixelProgress'>,
): Promise<PixelReport> {
  const { db } = app;
  const storageRoot = app.workspace.storageDir;
  const t0 = performance.now();
  const total = countPendingPixels(db);
  let processed = 0;
  let withHash = 0;
  const committer = new GroupCommitter<PixelResult>(async (group) => {
    await syncer.sync(group.map((g) => g.thumbnailFile).filter((f): f is string => f !== null));
    const at = new Date(app.clock.now()).toISOString();
    db.transaction(() => {
      for (const result of group) {
        if (result.thumbnailSha256) ensureBlob(db, result.thumbnailSha256, result.thumbnailSize, at);
        setPixels(db, result.imageId, result.phash, result.thumbnailSha256);
      }
    }).immediate();
    processed += group.length;
    withHash += group.filter((g) => g.phash !== null).length;
    options.onPixelProgress?.({ total, done: processed });
  }, MAX_GROUP);
  let afterId = 0;
  for (;;) {
    const page = pendingPixelImages(db, afterId, 4096);
    if (page.length === 0 || options.signal?.aborted) break;
    afterId = (page[page.length - 1] as { id: number }).id;
    await pipelined(
      page.length,
      pool.size * PIPELINE_PER_WORKER,
      async (i) => {
        const image = page[i] as (typeof page)[number];
        const task: PixelTask = { op: 'pixels', imageId: image.id, sha256: image.sha256, kind: image.kind, storageRoot };
        const result = (await pool.run(task).catch(() => null)) as PixelResult | null;
        // A worker that failed on an image (timeout, crash): no pixel data for it, and not retried.
        committer.push(result ?? { imageId: image.id, phash: null, thumbnailSha256: null, thumbnailFile: null, thumbnailSize: 0 });
      },
      () => options.signal?.aborted === true,
    );
  }
  await committer.drain();
  return { processed, withHash, ms: Math.round(performance.now() - t0) };
}

/** A file whose blob was written but could not be made durable: not registered, reported. */
function storageFailure(file: string, err: Error): FileResult {
  return { status: 'quarantined', path: file, code: 'unreadable', reason: `${path.basename(file)}: could not be stored: ${err.message}`, sha256: null, size: 0 };
}

/** A worker that failed on a file (timeout, out of memory, crash) quarantines that file only. */
function failure(file: string, err: unknown): FileResult {
  const base = path.basename(file);
  if (err instanceof TaskTimeoutError) {
    return { status: 'quarantined', path: file, code: 'parse-timeout', reason: `${base}: ${err.message}`, sha256: null, size: 0 };
  }
  if (err instanceof WorkerCrashError) {
    return { status: 'quarantined', path: file, code: 'parse-error', reason: `${base}: reading it crashed the reader (${err.message})`, sha256: null, size: 0 };
  }
  if (err instanceof TaskError && (err.code === 'STORAGE_IO' || err.code === 'ENOSPC' || err.code === 'EROFS')) {
    // Storage problems are not the file's fault, but the batch goes on and the report says why.
    return { status: 'quarantined', path: file, code: 'unreadable', reason: `${base}: could not be stored: ${err.message}`, sha256: null, size: 0 };
  }
  return { status: 'quarantined', path: file, code: 'parse-error', reason: `${base}: ${(err as Error).message}`, sha256: null, size: 0 };
}

function register(db: WritableDB, batch: number, seq: number, r: FileResult, options: ImportOptions, now: string): ImportItem {
  if (r.status === 'quarantined') {
    if (r.sha256) ensureBlob(db, r.sha256, r.size, now);
    insertItem(db, { batchId: batch, seq, path: r.path, status: 'quarantined', imageId: null, sha256: r.sha256, reasonCode: r.code, reason: r.reason });
    return { path: r.path, id: null, sha256: r.sha256, status: 'quarantined', reason: r.reason };
  }
  const existing = imageIdBySha(db, r.sha256);
  if (existing !== undefined) {
    insertItem(db, { batchId: batch, seq, path: r.path, status: 'duplicate', imageId: existing, sha256: r.sha256, reasonCode: null, reason: null });
    return { path: r.path, id: existing, sha256: r.sha256, status: 'duplicate' };
  }
  ensureBlob(db, r.sha256, r.size, now);
  const id = insertImage(db, r, batch, path.basename(r.path), now);
  setNewImageFileTags(db, id, r.tags, now);
  for (const [key, value] of Object.entries(options.tags ?? {})) {
    // An import tag over a tag read from the file: the file's value is the history's old value.
    const fromFile = Object.hasOwn(r.tags, key) ? (r.tags[key] as string) : null;
    if (fromFile === value) continue;
    setNewImageTag(db, { imageId: id, namespace: 'source', key, value, oldValue: fromFile, origin: 'import', at: now, by: options.actor.id });
  }
  insertItem(db, { batchId: batch, seq, path: r.path, status: 'imported', imageId: id, sha256: r.sha256, reasonCode: null, reason: null });
  return { path: r.path, id, sha256: r.sha256, status: 'imported' };
}

/** Pairs of images whose pixel hashes differ in at most `maxDistance` of 64 bits. */
export function findNearDuplicates(app: Pick<AppServices, 'db'>, maxDistance = 4): NearDuplicate[] {
  const rows = imagesWithPhash(app.db);
  const pairs: NearDuplicate[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const a = rows[i] as { id: number; phash: string };
      const b = rows[j] as { id: number; phash: string };
      const distance = hammingDistance(a.phash, b.phash);
      if (distance <= maxDistance) pairs.push({ imageId: a.id, otherId: b.id, distance });
    }
  }
  return pairs;
}

