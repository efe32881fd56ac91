import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DropFileView, DropFolderEvent, DropFolderView, ImportProblem, ImportReport } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { AppServices } from '../app-services';
import type { WritableDB } from '../db/types';
import { activeDropFolders, insertProcessedFile, processedFile, recentFiles, type DropFolderRow } from './drop-folder-repository';
import { freezeVersion } from './plans';
import { getRun, insertImport, insertRun, runStandardIds, type RunRow } from './runs-repository';
import { prepareResults, type PreparedResults } from './runs-service';
import { computeRun, storeComputation } from './snapshots';

/**
 * Watched drop folders (issue 5 item 5). Every configured folder is scanned on fs.watch
 * events and on a polling interval (fs.watch is unreliable on network shares and some file
 * systems). A file is picked up only when it is complete:
 *
 * - names ending in `.part` (the "write, then rename" convention) and hidden files are ignored;
 * - a file must have the same size and modification time on two scans at least `settleMs`
 *   apart, so a file still being copied is left alone.
 *
 * A ready file is checked exactly as the import wizard checks it (prepareResults), then, in one
 * transaction, its rows are imported (or it is refused), the file is recorded in
 * drop_folder_files and an audit entry is appended. Only after that commit is the file moved to
 * `processed/` or `refused/` beside it (a refused file gets `<name>.report.txt`). A file the app
 * had committed but not moved when it died is found at restart by folder, name and content hash
 * and only moved: processing is idempotent.
 */

export const DROP_ACTOR = 'drop folder';
const RESULT_FILE = /\.(csv|json)$/i;

export interface DropFolderOptions {
  /** Polling interval (the fallback when fs.watch misses events). */
  readonly pollMs?: number;
  /** How long a file's size and mtime must stay unchanged before it is read. */
  readonly settleMs?: number;
  /** Use fs.watch besides polling (default true). */
  readonly watch?: boolean;
  /** How long a file that failed (not refused: could not be read or moved) waits before a retry. */
  readonly retryMs?: number;
}

interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
}

export class DropFolderWatcher {
  private readonly pollMs: number;
  private readonly settleMs: number;
  private readonly useWatch: boolean;
  private readonly retryMs: number;
  private readonly seen = new Map<string, Seen>();
  /** Files that failed (unreadable, locked, a move refused...): retried when they change or after `retryMs`. */
  private readonly failed = new Map<string, { version: string; at: number }>();
  private readonly watchers = new Map<number, fs.FSWatcher>();
  private readonly listeners = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private pending: NodeJS.Timeout | null = null;
  private folders: DropFolderRow[] = [];
  private stopped = false;

  constructor(
    private readonly app: AppServices,
    options: DropFolderOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 2000;
    this.settleMs = options.settleMs ?? 1000;
    this.useWatch = options.watch ?? true;
    this.retryMs = options.retryMs ?? 60_000;
  }

  start(): void {
    this.refresh();
    this.timer = setInterval(() => this.scanSafely(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
    this.timer = null;
    this.pending = null;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  /** Windows that asked for the folder list get the arrival and import events. */
  addListener(senderId: string): void {
    this.listeners.add(senderId);
  }

  /** Re-reads the configured folders (after one is created or disabled) and scans at once. */
  refresh(): void {
    if (this.stopped) return;
    this.folders = activeDropFolders(this.app.db);
    const ids = new Set(this.folders.map((f) => f.id));
    for (const [id, w] of this.watchers) {
      if (!ids.has(id)) {
        w.close();
        this.watchers.delete(id);
      }
    }
    if (this.useWatch) for (const f of this.folders) this.watchFolder(f);
    this.scanSafely();
  }

  state(folder: DropFolderRow): DropFolderView['state'] {
    return isDirectory(folder.path) ? 'watching' : 'missing';
  }

  private watchFolder(folder: DropFolderRow): void {
    if (this.watchers.has(folder.id) || !isDirectory(folder.path)) return;
    try {
      const w = fs.watch(folder.path, { persistent: false }, () => this.scheduleScan());
      w.on('error', () => {
        // Polling carries on; the folder may come back.
        w.close();
        this.watchers.delete(folder.id);
      });
      this.watchers.set(folder.id, w);
    } catch {
      // Not watchable (e.g. some network file systems): polling covers it.
    }
  }

  /** An event usually means "still being written": look again once it may have settled. */
  private scheduleScan(): void {
    if (this.pending || this.stopped) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      this.scanSafely();
    }, this.settleMs + 50);
    this.pending.unref();
  }

  private scanSafely(): void {
    try {
      this.scan();
    } catch (err) {
      console.error('[drop folder] scan failed:', err);
    }
  }

  /** One pass over every folder: processes the files that are ready. Synchronous (tests call it). */
  scan(): void {
    if (this.stopped) return;
    const now = Date.now();
    const present = new Set<string>();
    for (const folder of this.folders) {
      if (this.useWatch) this.watchFolder(folder);
      for (const name of readyCandidates(folder.path)) {
        const full = path.join(folder.path, name);
        present.add(full);
        let stat: fs.Stats;
        try {
          stat = fs.statSync(full);
        } catch {
          continue;
        }
        if (!stat.isFile()) continue;
        const version = `${stat.size}:${stat.mtimeMs}`;
        const failure = this.failed.get(full);
        if (failure && failure.version === version && now - failure.at < this.retryMs) continue;
        this.failed.delete(full);
        const before = this.seen.get(full);
        if (!before || before.size !== stat.size || before.mtimeMs !== stat.mtimeMs) {
          if (!before) this.emit({ folderId: folder.id, fileName: name, stage: 'arrived', runId: null, message: null });
          this.seen.set(full, { size: stat.size, mtimeMs: stat.mtimeMs, since: now });
          continue;
        }
        if (now - before.since < this.settleMs) continue;
        this.seen.delete(full);
        if (!this.processSafely(folder, name)) this.failed.set(full, { version, at: now });
      }
    }
    for (const key of this.seen.keys()) if (!present.has(key)) this.seen.delete(key);
    for (const key of this.failed.keys()) if (!present.has(key)) this.failed.delete(key);
  }

  /** False when the file could not be processed (it stays in place and is retried once it changes). */
  private processSafely(folder: DropFolderRow, name: string): boolean {
    try {
      const done = processDropFile(this.app, folder, name);
      if (done) this.emit({ folderId: folder.id, fileName: name, stage: done.outcome, runId: done.runId, message: done.outcome === 'refused' ? `${done.report.problems.length} problem(s)` : null });
      return true;
    } catch (err) {
      console.error(`[drop folder] ${path.join(folder.path, name)}:`, err);
      this.emit({ folderId: folder.id, fileName: name, stage: 'failed', runId: null, message: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  private emit(e: DropFolderEvent): void {
    for (const senderId of this.listeners) {
      if (this.app.sessions.get(senderId)) this.app.events.emit(senderId, 'dropFolder:file', e);
      else this.listeners.delete(senderId);
    }
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Result files in a folder that may be ready: not hidden, not `.part`, a CSV or JSON name. */
function readyCandidates(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => !n.startsWith('.') && !/\.part$/i.test(n) && RESULT_FILE.test(n)).sort();
}

/**
 * Imports (or refuses) one file of a drop folder and moves it away. Returns what was recorded,
 * or null when the file vanished meanwhile.
 */
export function processDropFile(app: AppServices, folder: DropFolderRow, name: string): DropFileView | null {
  const full = path.join(folder.path, name);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(full);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const contentHash = crypto.createHash('sha256').update(bytes).digest('hex');
  const earlier = processedFile(app.db, folder.id, name, contentHash);
  if (earlier) {
    // Committed before the app stopped, not yet moved: finish the move only.
    moveAway(folder, name, earlier);
    return earlier;
  }
  const template = getRun(app.db, folder.run_id);
  if (!template) throw new AppError('NOT_FOUND', `Run ${folder.run_id} of drop folder ${folder.path} does not exist.`);
  let prepared: PreparedResults;
  try {
    prepared = prepareResults(app.db, template, { path: full });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    prepared = { file: name, contentHash, rowsTotal: 0, rows: [], problems: [{ file: name, line: null, field: null, problem: err.message }] };
  }
  const problems: ImportProblem[] = prepared.rows.length === 0 && prepared.problems.length === 0 ? [{ file: name, line: null, field: null, problem: 'the file has no rows' }] : prepared.problems;
  const imported = prepared.rows.length > 0 && (problems.length === 0 || folder.accept_partial === 1);
  const report: ImportReport = { file: name, rowsTotal: prepared.rowsTotal, rowsAccepted: imported ? prepared.rows.length : 0, problems };
  const now = new Date(app.clock.now()).toISOString();
  const audit = (w: WritableDB, action: string, runId: number | null, outcome: 0 | 4, details: unknown) =>
    app.audit.record(w, { actorId: folder.created_by_id, actorName: DROP_ACTOR, action, objectType: 'run', objectId: runId, outcome, details });
  const view = app.db
    .transaction((): DropFileView => {
      const w = app.db;
      let runId: number | null = null;
      if (imported) {
        runId = folder.mode === 'into_run' ? template.id : createRunLike(w, template, name, folder, now);
        if (folder.mode === 'new_run') audit(w, 'runs:create', runId, 0, { dropFolderId: folder.id, file: name, copiedFrom: template.id });
        const run = getRun(w, runId) as RunRow;
        insertImport(w, { runId, sourceName: name, contentHash: prepared.contentHash, rowsTotal: prepared.rowsTotal, refused: problems, rows: prepared.rows, importedBy: folder.created_by_id, importedAt: now });
        storeComputation(w, runId, computeRun(w, run), `results imported (${name}, drop folder)`, folder.created_by_id, now);
      }
      const id = insertProcessedFile(w, { folderId: folder.id, fileName: name, contentHash, outcome: imported ? 'imported' : 'refused', runId, report, processedAt: now });
      audit(w, imported ? 'runs:importResults' : 'dropFolders:refused', runId ?? template.id, imported ? 0 : 4, {
        dropFolderId: folder.id,
        folder: folder.path,
        file: name,
        contentHash,
        rows: report.rowsTotal,
        accepted: report.rowsAccepted,
        refused: problems.length,
      });
      return { id, fileName: name, outcome: imported ? 'imported' : 'refused', runId, report, processedAt: now };
    })
    .immediate();
  moveAway(folder, name, view);
  return view;
}

/** `new_run` mode: a run with the template's inputs (model, plan, dataset version, parameters, standards). */
function createRunLike(db: WritableDB, template: RunRow, fileName: string, folder: DropFolderRow, now: string): number {
  const id = insertRun(db, {
    name: `${template.name} · ${fileName}`,
    modelId: template.model_id,
    planId: template.plan_id,
    datasetId: template.dataset_id,
    versionId: template.version_id,
    task: template.task,
    iou: template.iou,
    parameterValues: JSON.parse(template.parameter_values) as Record<string, string | number>,
    leakage: template.leakage === null ? null : (JSON.parse(template.leakage) as unknown),
    notes: `Imported by the drop folder ${folder.path}.`,
    standardIds: runStandardIds(db, template.id),
    createdBy: folder.created_by_id,
    createdAt: now,
  });
  freezeVersion(db, template.version_id, now);
  return id;
}

/** Moves a processed file to processed/ or refused/ (never overwriting), with the report beside a refused one. */
function moveAway(folder: DropFolderRow, name: string, view: DropFileView): void {
  const dir = path.join(folder.path, view.outcome === 'imported' ? 'processed' : 'refused');
  fs.mkdirSync(dir, { recursive: true });
  const ext = path.extname(name);
  const base = name.slice(0, name.length - ext.length);
  let target = path.join(dir, name);
  for (let n = 2; fs.existsSync(target); n++) target = path.join(dir, `${base}-${n}${ext}`);
  if (view.outcome === 'refused') fs.writeFileSync(`${target}.report.txt`, reportText(folder, view));
  fs.renameSync(path.join(folder.path, name), target);
}

export function reportText(folder: DropFolderRow, view: DropFileView): string {
  const r = view.report;
  return [
    `MIDC refused "${r.file}" from the drop folder ${folder.path} (run "${folder.run_name}") at ${view.processedAt}.`,
    `${r.rowsTotal} row(s), ${r.problems.length} problem(s); nothing was imported. Fix the file and drop it again.`,
    '',
    ...r.problems.map((p) => `${p.file}${p.line === null ? '' : ` line ${p.line}`}${p.field === null ? '' : ` ${p.field}`}: ${p.problem}`),
    '',
  ].join('\n');
}

const watchers = new WeakMap<AppServices, DropFolderWatcher>();

/** Started by createApp for the hosts (not the CLI); returns the stop function. */
export function startDropFolders(app: AppServices, options?: DropFolderOptions): () => void {
  watchers.get(app)?.stop();
  const w = new DropFolderWatcher(app, options);
  watchers.set(app, w);
  w.start();
  return () => {
    w.stop();
    if (watchers.get(app) === w) watchers.delete(app);
  };
}

export function dropFolderWatcher(app: AppServices): DropFolderWatcher | undefined {
  return watchers.get(app);
}

export function dropFolderView(app: AppServices, f: DropFolderRow): DropFolderView {
  const w = watchers.get(app);
  return {
    id: f.id,
    path: f.path,
    mode: f.mode,
    runId: f.run_id,
    runName: f.run_name,
    acceptPartial: f.accept_partial === 1,
    createdAt: f.created_at,
    createdBy: f.created_by,
    state: w ? w.state(f) : 'idle',
    files: recentFiles(app.db, f.id),
  };
}
