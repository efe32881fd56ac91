import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunnerLogEvent, RunnerView } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { AppServices } from '../app-services';
import type { ReadableDB, WritableDB } from '../db/types';
import { blobPath } from '../storage/blob-layout';
import { resolveGroundTruth } from './ground-truth';
import type { RunRow } from './runs-repository';
import { versionImageIds } from './snapshots';

/**
 * The local runner (issue 5 item 8): a command registered per model by the algorithm admin,
 * run on this workstation as an argv array (never through a shell, so no quoting or injection
 * issues), with a timeout, its output streamed as events and a cancel. MIDC writes a dataset
 * manifest; the command writes a predictions file in the import format, which is imported.
 */

export interface Manifest {
  readonly runId: number;
  readonly task: RunRow['task'];
  readonly model: { readonly id: number; readonly name: string };
  readonly parameters: Record<string, string | number>;
  readonly classes: string[];
  /** Where the command must write its predictions (CSV: image_key,class,score[,x,y,w,h]). */
  readonly output: string;
  readonly images: {
    readonly imageId: number;
    /** The key to write in the predictions file (the image's SHA-256). */
    readonly key: string;
    readonly path: string;
    readonly thumbnail: string | null;
    readonly split: 'train' | 'test';
    /** Training images: the ground-truth class (classification) or null. */
    readonly label: string | null;
  }[];
}

/**
 * The example runner shipped in resources/runner (issue 5 item 8), or null when this install
 * has none. Entries live in out/main (shared code in out/main/chunks); from source, in
 * src/main/evaluation; packaged, beside the app's resources.
 */
export function exampleRunnerScript(): string | null {
  const name = path.join('runner', 'nearest-mean.mjs');
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  const candidates = [
    path.resolve(__dirname, '..', '..', 'resources', name),
    path.resolve(__dirname, '..', '..', '..', 'resources', name),
    ...(resourcesPath ? [path.join(resourcesPath, name)] : []),
  ];
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

export function currentRunner(db: ReadableDB, modelId: number): RunnerView | undefined {
  const row = db.prepare('SELECT id, model_id, argv, timeout_s, created_at FROM model_runners WHERE model_id = ? AND disabled_at IS NULL ORDER BY id DESC LIMIT 1').get(modelId) as
    | { id: number; model_id: number; argv: string; timeout_s: number; created_at: string }
    | undefined;
  return row ? { id: row.id, modelId: row.model_id, argv: JSON.parse(row.argv) as string[], timeoutSeconds: row.timeout_s, createdAt: row.created_at } : undefined;
}

export function listRunners(db: ReadableDB): RunnerView[] {
  const models = db.prepare('SELECT DISTINCT model_id FROM model_runners ORDER BY model_id').pluck().all() as number[];
  return models.flatMap((m) => currentRunner(db, m) ?? []);
}

export function registerRunner(db: WritableDB, r: { modelId: number; argv: string[]; timeoutSeconds: number; createdBy: number | null; createdAt: string }): number {
  const now = r.createdAt;
  db.prepare('UPDATE model_runners SET disabled_at = ? WHERE model_id = ? AND disabled_at IS NULL').run(now, r.modelId);
  return Number(
    db.prepare('INSERT INTO model_runners (model_id, argv, timeout_s, created_by, created_at) VALUES (?, ?, ?, ?, ?)').run(r.modelId, JSON.stringify(r.argv), r.timeoutSeconds, r.createdBy, now)
      .lastInsertRowid,
  );
}

/** The manifest of a run: the run's plan's training sets with labels, and the test set without. */
export function buildManifest(db: ReadableDB, storageDir: string, run: RunRow, output: string): Manifest {
  const planIds = run.plan_id !== null ? [run.plan_id] : (db.prepare('SELECT id FROM training_plans WHERE model_id = ?').pluck().all(run.model_id) as number[]);
  const training = db
    .prepare(
      `SELECT DISTINCT pd.dataset_id, pd.version_id FROM plan_datasets pd JOIN datasets d ON d.id = pd.dataset_id
       WHERE pd.plan_id IN (SELECT value FROM json_each(?)) AND d.purpose NOT IN ('training_test', 'application_test')`,
    )
    .all(JSON.stringify(planIds)) as { dataset_id: number; version_id: number }[];
  const labels = new Map<number, string>();
  for (const t of training) {
    const gt = resolveGroundTruth(db, { datasetId: t.dataset_id, imageIds: versionImageIds(db, t.version_id), task: 'classification' });
    for (const [imageId, list] of gt.labels) if (list[0]?.className) labels.set(imageId, list[0].className);
  }
  const testIds = versionImageIds(db, run.version_id);
  const testGt = resolveGroundTruth(db, { datasetId: run.dataset_id, imageIds: testIds, task: run.task });
  const classes = new Set<string>(labels.values());
  for (const list of testGt.labels.values()) for (const l of list) if (l.className) classes.add(l.className);
  const info = db.prepare('SELECT id, sha256, thumbnail_sha256 FROM images WHERE id IN (SELECT value FROM json_each(?))');
  const rows = (ids: number[]) => info.all(JSON.stringify(ids)) as { id: number; sha256: string; thumbnail_sha256: string | null }[];
  const testSet = new Set(testIds);
  const entry = (r: { id: number; sha256: string; thumbnail_sha256: string | null }, split: 'train' | 'test') => ({
    imageId: r.id,
    key: r.sha256,
    path: blobPath(storageDir, r.sha256),
    thumbnail: r.thumbnail_sha256 ? blobPath(storageDir, r.thumbnail_sha256) : null,
    split,
    label: split === 'train' ? (labels.get(r.id) ?? null) : null,
  });
  return {
    runId: run.id,
    task: run.task,
    model: { id: run.model_id, name: run.model_name },
    parameters: JSON.parse(run.parameter_values) as Record<string, string | number>,
    classes: [...classes].sort(),
    output,
    images: [
      // A training image that is also in the test set is left out of training (no leakage by the runner).
      ...rows([...labels.keys()].filter((id) => !testSet.has(id))).map((r) => entry(r, 'train')),
      ...rows(testIds).map((r) => entry(r, 'test')),
    ],
  };
}

const running = new WeakMap<AppServices, Map<number, ChildProcess>>();

export function cancelRunner(app: AppServices, runId: number): boolean {
  const child = running.get(app)?.get(runId);
  if (!child) return false;
  child.kill('SIGTERM');
  // A command that ignores SIGTERM is ended for good shortly after.
  setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 2000).unref();
  (child as ChildProcess & { cancelled?: boolean }).cancelled = true;
  return true;
}

export interface RunnerOutcome {
  readonly status: 'done' | 'failed' | 'timeout' | 'cancelled';
  readonly exitCode: number | null;
  readonly logTail: string[];
  readonly output: string;
}

/** Writes the manifest, runs the command and resolves when it ends. */
export async function runCommand(app: AppServices, run: RunRow, runner: RunnerView, onLog: (e: RunnerLogEvent) => void): Promise<RunnerOutcome> {
  const jobs = running.get(app) ?? new Map<number, ChildProcess>();
  running.set(app, jobs);
  if (jobs.has(run.id)) throw new AppError('CONFLICT', `The runner of run "${run.name}" is already running.`);
  const dir = path.join(app.workspace.root, 'runner', `run-${run.id}-${app.clock.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  const output = path.join(dir, 'predictions.csv');
  const manifestFile = path.join(dir, 'manifest.json');
  fs.writeFileSync(manifestFile, JSON.stringify(buildManifest(app.db, app.workspace.storageDir, run, output), null, 2));
  const argv = runner.argv.map((a) => a.replaceAll('{manifest}', manifestFile).replaceAll('{output}', output));
  const tail: string[] = [];
  const log = (stream: RunnerLogEvent['stream'], text: string) => {
    for (const line of text.split(/\r?\n/)) if (line) tail.push(`${stream === 'stderr' ? '! ' : ''}${line}`);
    tail.splice(0, Math.max(0, tail.length - 200));
    onLog({ runId: run.id, stream, text });
  };
  log('system', `$ ${argv.join(' ')}`);
  return new Promise<RunnerOutcome>((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(argv[0] as string, argv.slice(1), { cwd: dir, shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (err) {
      log('system', `cannot start: ${(err as Error).message}`);
      resolve({ status: 'failed', exitCode: null, logTail: tail, output });
      return;
    }
    jobs.set(run.id, child);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      log('system', `timed out after ${runner.timeoutSeconds} s`);
      child.kill('SIGKILL');
    }, runner.timeoutSeconds * 1000);
    child.stdout?.setEncoding('utf8').on('data', (t: string) => log('stdout', t));
    child.stderr?.setEncoding('utf8').on('data', (t: string) => log('stderr', t));
    child.on('error', (err) => log('system', `error: ${err.message}`));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      jobs.delete(run.id);
      const cancelled = (child as ChildProcess & { cancelled?: boolean }).cancelled === true;
      log('system', `exited with ${code ?? signal}`);
      resolve({ status: cancelled ? 'cancelled' : timedOut ? 'timeout' : code === 0 ? 'done' : 'failed', exitCode: code, logTail: tail, output });
    });
  });
}
