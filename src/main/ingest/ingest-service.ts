import fs from 'node:fs';
import path from 'node:path';
import type { AppServices } from '../app-services';
import {
  createBatch,
  ensureBlob,
  finishBatch,
  imageIdBySha,
  imagesWithPhash,
  insertImage,
  insertItem,
  setTag,
  type ItemStatus,
  type NearDuplicate,
} from './ingest-repository';
import { deidentifySecret } from './deidentify/secret';
import { hammingDistance } from './pixels';
import type { FileResult, FileTask } from './process-file';
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
    for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
  };
  inputs.forEach(walk);
  return files;
}

/** Commits are grouped: one fsync per group instead of per file (synchronous=FULL). */
const GROUP_SIZE = 64;
const GROUP_MS = 200;

/**
 * Imports files and folders: every file is parsed and stored by a worker, then registered in
 * the database in small transactions. Each file ends as imported, duplicate (same bytes) or
 * quarantined with a reason; one bad file never stops the batch. A crash leaves whole files
 * registered or not at all; running the import again finishes the job.
 */
export async function importPaths(app: AppServices, inputs: readonly string[], given: ImportOptions): Promise<ImportReport> {
  // De-identification (wt-deid): the workers get the workspace secret; every object gets the tag.
  const deidentify = given.deidentify ? { secret: deidentifySecret(app.db) } : undefined;
  const options: ImportOptions = deidentify ? { ...given, tags: { ...given.tags, [DEIDENTIFIED_TAG.key]: DEIDENTIFIED_TAG.value } } : given;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const files = expandInputs(inputs);
  const { db } = app;
  const now = () => new Date(app.clock.now()).toISOString();
  const batch = db
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
  options.onBatch?.(batch);

  const pool = new WorkerPool<FileTask, FileResult>(options.workerFile, {
    timeoutMs: limits.timeoutMs,
    resourceLimits: { maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb },
  });
  const items: (ImportItem | undefined)[] = new Array(files.length);
  const counts = { imported: 0, duplicates: 0, quarantined: 0 };
  let done = 0;
  let pendingGroup: { seq: number; result: FileResult }[] = [];
  let lastCommit = Date.now();

  const commit = () => {
    if (pendingGroup.length === 0) return;
    const group = pendingGroup;
    pendingGroup = [];
    db.transaction(() => {
      for (const { seq, result } of group) items[seq] = register(app, batch, seq, result, options, now());
    }).immediate();
    for (const { seq } of group) {
      const item = items[seq] as ImportItem;
      counts[item.status === 'imported' ? 'imported' : item.status === 'duplicate' ? 'duplicates' : 'quarantined']++;
    }
    done += group.length;
    lastCommit = Date.now();
    options.onProgress?.({ batch, total: files.length, done, ...counts });
  };

  const storageRoot = app.workspace.storageDir;
  let cancelled = false;
  try {
    await Promise.all(
      files.map(async (file, seq) => {
        if (options.signal?.aborted) {
          cancelled = true;
          return;
        }
        const result = await pool.run({ path: file, storageRoot, maxBytes: limits.maxBytes, ...(deidentify ? { deidentify } : {}) }).catch((err: unknown) => failure(file, err));
        if (options.signal?.aborted) cancelled = true;
        pendingGroup.push({ seq, result });
        if (pendingGroup.length >= GROUP_SIZE || Date.now() - lastCommit > GROUP_MS) commit();
      }),
    );
    commit();
  } finally {
    await pool.close();
  }
  const finished = items.filter((i): i is ImportItem => i !== undefined);
  cancelled ||= finished.length < files.length;
  db.transaction(() => {
    finishBatch(db, batch, { finishedAt: now(), status: cancelled ? 'cancelled' : 'done', ...counts });
    if (options.audit === false) return;
    app.audit.record(db, {
      actorId: options.actor.id,
      actorName: options.actor.name,
      action: 'images:import',
      objectType: 'import_batch',
      objectId: batch,
      outcome: counts.quarantined > 0 ? 4 : 0,
      details: { files: files.length, ...counts, cancelled, tags: options.tags ?? {}, ...(deidentify ? { deidentify: true } : {}) },
    });
  }).immediate();
  return {
    batch,
    ...counts,
    quarantined: finished.filter((i) => i.status === 'quarantined').map((i) => ({ path: i.path, reason: i.reason ?? '' })),
    items: finished,
    cancelled,
  };
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

function register(app: AppServices, batch: number, seq: number, r: FileResult, options: ImportOptions, now: string): ImportItem {
  const { db } = app;
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
  if (r.thumbnailSha256) ensureBlob(db, r.thumbnailSha256, 0, now);
  const id = insertImage(db, r, batch, path.basename(r.path), now);
  for (const [key, value] of Object.entries(r.tags)) {
    setTag(db, { imageId: id, namespace: 'source', key, value, origin: 'file', at: now, by: null });
  }
  for (const [key, value] of Object.entries(options.tags ?? {})) {
    setTag(db, { imageId: id, namespace: 'source', key, value, origin: 'import', at: now, by: options.actor.id });
  }
  insertItem(db, { batchId: batch, seq, path: r.path, status: 'imported', imageId: id, sha256: r.sha256, reasonCode: null, reason: null });
  return { path: r.path, id, sha256: r.sha256, status: 'imported' };
}

/** Pairs of images whose pixel hashes differ in at most `maxDistance` of 64 bits. */
export function findNearDuplicates(app: AppServices, maxDistance = 4): NearDuplicate[] {
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

