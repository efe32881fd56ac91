/**
 * The app code the drilldown and viewer benchmarks drive, bundled by bench/lib/bundle.js with
 * Vite's build API into bench/.data/host-bundle/host.cjs (CommonJS; node_modules stay
 * external). Nothing here re-implements a query: the benchmarks time the real IPC dispatch
 * (`app.dispatch`, the path every window call takes) and the real Chromium host; this file only
 * adds the deterministic seeding of large workspaces, written through the app's own
 * repository and snapshot functions so the rows are exactly what the app would store.
 */
import crypto from 'node:crypto';
import { createApp, type App } from '../../src/main/app';
import { hashPassword } from '../../src/main/auth/password';
import { insertUser, setRoles } from '../../src/main/auth/users-repository';
import { insertDataset, insertVersion } from '../../src/main/datasets/datasets-repository';
import { storeGroundTruth } from '../../src/main/evaluation/ground-truth';
import { freezeVersion } from '../../src/main/evaluation/plans';
import { getRun, insertImport, insertRun } from '../../src/main/evaluation/runs-repository';
import { computeRun, storeComputation } from '../../src/main/evaluation/snapshots';
import { createBatch, finishBatch } from '../../src/main/ingest/ingest-repository';
import type { Sender } from '../../src/main/ipc/sender';
import type { Result } from '../../src/shared/errors';
import type { Role } from '../../src/shared/roles';

export { createApp } from '../../src/main/app';
export { launchChromiumHost } from '../../src/main/chromium-host/host';

/** mulberry32, as bench/lib/prng.js: the same seed gives the same workspace. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Opens (and migrates) the workspace as the Chromium host would, without a window. */
export function openApp(workspaceDir: string): App {
  return createApp({ workspaceDir, host: 'chromium', appOrigin: 'https://midc.bench.invalid' });
}

/** Creates users with roles directly in the database (as the e2e tests do). */
export async function seedUsers(app: App, users: Record<string, readonly Role[]>, password: string): Promise<Record<string, number>> {
  const hash = await hashPassword(password);
  const db = app.services.db;
  const ids: Record<string, number> = {};
  db.transaction(() => {
    for (const [username, roles] of Object.entries(users)) {
      ids[username] = insertUser(db, { username, displayName: username, passwordHash: hash, createdAt: new Date(0).toISOString() });
      setRoles(db, ids[username] as number, roles);
    }
  })();
  return ids;
}

/** Logs `username` in from a backend window of its own; returns the sender to call with. */
export async function backendLogin(app: App, username: string, password: string): Promise<Sender> {
  const who: Sender = { id: `bench-${username}`, origin: app.services.appOrigin, isMainFrame: true };
  await call(app, who, 'auth:login', { username, password });
  return who;
}

/** One IPC call through the real dispatch; throws on `{ok: false}`. */
export async function call<T>(app: App, who: Sender, channel: string, payload: unknown): Promise<T> {
  const r = (await app.dispatch(who, channel, payload)) as Result<T>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

export interface EvaluationSeed {
  readonly images: number;
  readonly runs: number;
  readonly classes: number;
  readonly seed: number;
  /** Share of images each run predicts correctly (the rest wrong, except `missed`). */
  readonly correct: number;
  /** Share of images a run gives no prediction for. */
  readonly missed: number;
}

export interface SeededEvaluation {
  readonly runIds: number[];
  readonly classes: string[];
  readonly datasetId: number;
  readonly imageIds: number[];
}

/**
 * A classification test set of `images` images with ground truth over `classes` classes
 * (skewed, screening-like: class k has weight 1/(k+1)), one model and `runs` runs of it, each
 * with its own predictions (and scores) and its snapshot and per-image outcomes computed by the
 * app's own `computeRun` / `storeComputation`, as an import of results would. The images are
 * catalogue rows only (no blob files): the drill-down and the comparison never read pixels.
 */
export function seedEvaluation(app: App, s: EvaluationSeed): SeededEvaluation {
  const db = app.services.db;
  const random = prng(s.seed);
  const now = new Date(Date.UTC(2026, 10, 1)).toISOString();
  const classes = Array.from({ length: s.classes }, (_, k) => `class-${String(k).padStart(2, '0')}`);
  const weights = classes.map((_, k) => 1 / (k + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const pick = (): string => {
    let r = random() * total;
    for (let k = 0; k < classes.length; k++) {
      r -= weights[k] as number;
      if (r <= 0) return classes[k] as string;
    }
    return classes[classes.length - 1] as string;
  };

  const imageIds: number[] = [];
  let datasetId = 0;
  let versionId = 0;
  let modelId = 0;
  const truth: string[] = [];
  db.transaction(() => {
    const batch = createBatch(db, { startedAt: now, actorId: null, actorName: 'bench', inputs: ['bench'], options: {}, total: s.images });
    const blob = db.prepare('INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)');
    const image = db.prepare(
      `INSERT INTO images (sha256, kind, viewable, width, height, frames, patient_id, modality, original_name, original_path, batch_id, imported_at)
       VALUES (?, 'png', 1, 64, 64, 1, ?, 'OT', ?, ?, ?, ?)`,
    );
    for (let i = 0; i < s.images; i++) {
      const sha = crypto.createHash('sha256').update(`bench-image-${s.seed}-${i}`).digest('hex');
      blob.run(sha, 1024, now);
      const name = `img-${String(i).padStart(7, '0')}.png`;
      imageIds.push(Number(image.run(sha, `P${Math.floor(i / 4)}`, name, `/bench/${name}`, batch, now).lastInsertRowid));
      truth.push(pick());
    }
    finishBatch(db, batch, { finishedAt: now, status: 'done', imported: s.images, duplicates: 0, quarantined: 0 });
    datasetId = insertDataset(db, { name: 'Bench test set', purpose: 'application_test', description: 'Generated by bench/', source: { bench: true }, createdBy: null, createdAt: now });
    versionId = insertVersion(db, { datasetId, version: 1, imageIds, createdBy: null, createdAt: now });
    storeGroundTruth(db, {
      datasetId,
      task: 'classification',
      sourceName: 'bench-ground-truth.csv',
      mode: 'replace',
      items: imageIds.map((imageId, i) => ({ imageId, className: truth[i] as string, box: null })),
      refused: [],
      createdBy: null,
      createdAt: now,
    });
    modelId = Number(db.prepare("INSERT INTO models (name, summary, task, created_at) VALUES ('BenchNet', 'generated by bench/', 'classification', ?)").run(now).lastInsertRowid);
  })();

  const runIds: number[] = [];
  for (let r = 0; r < s.runs; r++) {
    db.transaction(() => {
      const runId = insertRun(db, {
        name: `BenchNet run ${String(r + 1).padStart(2, '0')}`,
        modelId,
        planId: null,
        datasetId,
        versionId,
        task: 'classification',
        iou: null,
        parameterValues: {},
        leakage: null,
        notes: '',
        standardIds: [],
        createdBy: null,
        createdAt: now,
      });
      freezeVersion(db, versionId, now);
      const rows: { imageId: number; className: string; score: number; box: null }[] = [];
      imageIds.forEach((imageId, i) => {
        const u = random();
        if (u < s.missed) return;
        const right = u < s.missed + s.correct;
        const className = right ? (truth[i] as string) : (classes[Math.floor(random() * classes.length)] as string);
        rows.push({ imageId, className, score: Math.round(random() * 1000) / 1000, box: null });
      });
      insertImport(db, { runId, sourceName: `run-${r + 1}.csv`, contentHash: `bench-${s.seed}-${r}`, rowsTotal: rows.length, refused: [], rows, importedBy: null, importedAt: now });
      const run = getRun(db, runId);
      if (!run) throw new Error('the generated run vanished');
      storeComputation(db, runId, computeRun(db, run), `results imported (run-${r + 1}.csv)`, null, now);
      runIds.push(runId);
    })();
  }
  return { runIds, classes, datasetId, imageIds };
}

export interface SeededTicket {
  readonly ticketId: number;
  readonly images: number;
  readonly annotator: string;
}

/**
 * A labeling ticket over every viewable image of the workspace (one study, one ticket) for an
 * annotator, set up as the e2e tests do: users with roles, then the ops and labeling-admin
 * channels (`datasets:create`, `labeling:createFromToLabel`, `tickets:split`).
 */
export async function seedLabelingTicket(app: App, password: string): Promise<SeededTicket> {
  const ids = await seedUsers(app, { oskar: ['ops'], lara: ['labeling_admin'], anna: ['annotator'] }, password);
  const ops = await backendLogin(app, 'oskar', password);
  const admin = await backendLogin(app, 'lara', password);
  const toLabel = await call<{ id: number }>(app, ops, 'datasets:create', { name: 'bench stack', purpose: 'to_label', filter: { tags: [], viewable: true } });
  const labeling = await call<{ dataset: { id: number } }>(app, admin, 'labeling:createFromToLabel', {
    sourceDatasetId: toLabel.id,
    name: 'Bench stack labeling',
    guidelines: '# Mark every nodule',
    schema: { classes: [{ name: 'nodule', color: '#ff4400', key: 'n', shapes: ['ellipse', 'rectangle', 'length'] }], imageClasses: ['normal', 'abnormal'] },
  });
  const tickets = await call<{ id: number }[]>(app, admin, 'tickets:split', { datasetId: labeling.dataset.id, by: 'study', perTicket: 1, annotatorIds: [ids.anna], priority: 'high' });
  const first = tickets[0];
  if (tickets.length !== 1 || !first) throw new Error(`expected one ticket for the one study, got ${tickets.length}`);
  const detail = await call<{ images: unknown[] }>(app, admin, 'tickets:get', { id: first.id });
  return { ticketId: first.id, images: detail.images.length, annotator: 'anna' };
}
