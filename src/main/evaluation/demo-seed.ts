import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppServices } from '../app-services';
import { insertDataset, insertVersion } from '../datasets/datasets-repository';
import type { WritableDB } from '../db/types';
import { importPaths } from '../ingest/ingest-service';
import { ingestWorkerFile } from '../ingest/worker-file';
import { storeGroundTruth } from './ground-truth';
import { checkLeakage } from './leakage';
import { freezeVersion, insertPlan } from './plans';
import { exampleRunnerScript, registerRunner } from './runner';
import { getRun, insertImport, insertRun } from './runs-repository';
import { computeRun, storeComputation } from './snapshots';
import { writeSyntheticImages } from './synthetic-images';

const ACTOR = 'midc init --demo';
const CLASSES = ['normal', 'benign', 'malignant'] as const;

/** The quantified label of the demo: what each outcome of a nodule classifier is worth (DESIGN §2.6). */
export const DEMO_MATRIX = {
  name: 'Clinical harm',
  default: 0,
  values: {
    normal: { normal: 2, benign: 1, malignant: 0.5, missed: 1 },
    benign: { benign: 2, normal: 0.5, malignant: 1.5, missed: 0 },
    malignant: { malignant: 2, benign: 1, normal: 0, missed: 0 },
  },
};

export interface EvaluationDemoSummary {
  readonly images: number;
  readonly datasets: string[];
  readonly model: string;
  readonly runs: { name: string; accuracy: number | null }[];
  readonly quantifiedLabel: string;
}

/**
 * The evaluation part of `midc init --demo`: 36 synthetic greyscale studies (generated, since
 * the test fixtures are not shipped), a labelled training set with a training plan and the
 * example runner registered for the model (the runner loop works out of the box), an application-test
 * set with ground truth, a model with parameters and standards, a quantified label linked to a
 * standard, and two runs whose predictions differ (v2 fixes some of v1's errors and breaks one).
 * Every write is audited as done by the CLI.
 */
export async function seedEvaluationDemo(app: AppServices): Promise<EvaluationDemoSummary> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-demo-'));
  let files: ReturnType<typeof writeSyntheticImages>;
  try {
    files = writeSyntheticImages(dir, 36, CLASSES, 2026, 'study');
    await importPaths(app, [dir], { actor: { id: null, name: ACTOR }, workerFile: ingestWorkerFile(), tags: { institution: 'Demo Hospital', modality: 'OT' } });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const { db } = app;
  const idOf = (file: string) => (db.prepare('SELECT id FROM images WHERE original_name = ?').get(path.basename(file)) as { id: number }).id;
  const ids = files.map((f) => idOf(f.file));
  const trainIds = ids.slice(0, 12);
  const testIdx = files.map((_, i) => i).slice(12);
  const now = new Date(app.clock.now()).toISOString();
  const audit = (w: WritableDB, action: string, type: string, id: number, details: unknown) =>
    app.audit.record(w, { actorId: null, actorName: ACTOR, action, objectType: type, objectId: id, outcome: 0, details });

  const runs = db
    .transaction(() => {
      const training = insertDataset(db, { name: 'Demo training set', purpose: 'training', description: 'Synthetic studies for the demo.', source: { demo: true }, createdBy: null, createdAt: now });
      insertVersion(db, { datasetId: training, version: 1, imageIds: trainIds, createdBy: null, createdAt: now });
      audit(db, 'datasets:create', 'dataset', training, { name: 'Demo training set', images: trainIds.length });
      const trainGt = storeGroundTruth(db, {
        datasetId: training,
        task: 'classification',
        sourceName: 'demo-training-labels.csv',
        mode: 'replace',
        items: trainIds.map((imageId, i) => ({ imageId, className: files[i]?.className ?? 'normal', box: null })),
        refused: [],
        createdBy: null,
        createdAt: now,
      });
      audit(db, 'groundTruth:import', 'groundTruth', trainGt, { datasetId: training, items: trainIds.length });
      const test = insertDataset(db, { name: 'Demo application test', purpose: 'application_test', description: 'Synthetic studies for the demo.', source: { demo: true }, createdBy: null, createdAt: now });
      const testVersion = insertVersion(db, { datasetId: test, version: 1, imageIds: testIdx.map((i) => ids[i] as number), createdBy: null, createdAt: now });
      audit(db, 'datasets:create', 'dataset', test, { name: 'Demo application test', images: testIdx.length });
      const gtSet = storeGroundTruth(db, {
        datasetId: test,
        task: 'classification',
        sourceName: 'demo-ground-truth.csv',
        mode: 'replace',
        items: testIdx.map((i) => ({ imageId: ids[i] as number, className: files[i]?.className ?? 'normal', box: null })),
        refused: [],
        createdBy: null,
        createdAt: now,
      });
      audit(db, 'groundTruth:import', 'groundTruth', gtSet, { datasetId: test, items: testIdx.length });

      const model = Number(db.prepare("INSERT INTO models (name, summary, task, created_at) VALUES ('DemoNet', 'Nodule classifier (demo)', 'classification', ?)").run(now).lastInsertRowid);
      audit(db, 'models:create', 'model', model, { name: 'DemoNet' });
      const epochs = Number(db.prepare("INSERT INTO algorithm_parameters (name, type, min_value, max_value, created_at) VALUES ('epochs', 'number', 1, 500, ?)").run(now).lastInsertRowid);
      audit(db, 'params:create', 'parameter', epochs, { name: 'epochs' });
      const optimizer = Number(db.prepare("INSERT INTO algorithm_parameters (name, type, created_at) VALUES ('optimizer', 'option', ?)").run(now).lastInsertRowid);
      for (const v of ['adam', 'sgd']) db.prepare('INSERT INTO parameter_options (parameter_id, value, created_at) VALUES (?, ?, ?)').run(optimizer, v, now);
      audit(db, 'params:create', 'parameter', optimizer, { name: 'optimizer', options: ['adam', 'sgd'] });
      const standard = (name: string, metric: string, className: string | null, threshold: number) => {
        const id = Number(
          db.prepare("INSERT INTO test_standards (name, metric, class_name, comparison, threshold, created_at) VALUES (?, ?, ?, '>=', ?, ?)").run(name, metric, className, threshold, now).lastInsertRowid,
        );
        audit(db, 'standards:create', 'standard', id, { name, metric, className, threshold });
        return id;
      };
      const standards = [standard('Accuracy ≥ 0.8', 'accuracy', null, 0.8), standard('Malignant recall ≥ 0.75', 'recall', 'malignant', 0.75), standard('Clinical harm ≥ 1.6', 'quant', null, 1.6)];
      const matrix = Number(db.prepare("INSERT INTO quant_matrices (name, version, matrix, created_at) VALUES (?, 1, ?, ?)").run(DEMO_MATRIX.name, JSON.stringify(DEMO_MATRIX), now).lastInsertRowid);
      audit(db, 'quant:create', 'quantMatrix', matrix, { name: DEMO_MATRIX.name });
      const link = Number(db.prepare('INSERT INTO quant_standard_links (standard_id, matrix_id, linked_at) VALUES (?, ?, ?)').run(standards[2], matrix, now).lastInsertRowid);
      audit(db, 'quant:link', 'quantLink', link, { standardId: standards[2], matrixId: matrix });

      const plan = insertPlan(db, { name: 'DemoNet training', modelId: model, values: { epochs: 100, optimizer: 'adam' }, versions: [{ datasetId: training, versionId: Number(db.prepare('SELECT id FROM dataset_versions WHERE dataset_id = ?').pluck().get(training)) }], notes: 'Demo plan.', createdBy: null, createdAt: now });
      audit(db, 'plans:create', 'plan', plan, { name: 'DemoNet training' });
      const script = exampleRunnerScript();
      if (script) {
        // The example runner, so that "start the runner on the demo plan" works out of the box.
        const argv = [process.versions.electron ? 'node' : process.execPath, script, '{manifest}'];
        const runner = registerRunner(db, { modelId: model, argv, timeoutSeconds: 300, createdBy: null, createdAt: now });
        audit(db, 'runner:register', 'runner', runner, { modelId: model, argv, timeoutSeconds: 300 });
      }
      const leakage = checkLeakage(db, model, testVersion);

      // v1 confuses some benign and malignant cases and misses two; v2 fixes most and breaks one.
      const variants: { name: string; values: Record<string, string | number>; wrong: Record<number, string>; missed: number[] }[] = [
        { name: 'DemoNet v1', values: { epochs: 50, optimizer: 'sgd' }, wrong: { 1: 'normal', 4: 'malignant', 5: 'benign', 8: 'normal', 13: 'normal' }, missed: [10, 20] },
        { name: 'DemoNet v2', values: { epochs: 100, optimizer: 'adam' }, wrong: { 5: 'benign', 9: 'benign' }, missed: [20] },
      ];
      return variants.map((v) => {
        const runId = insertRun(db, {
          name: v.name,
          modelId: model,
          planId: plan,
          datasetId: test,
          versionId: testVersion,
          task: 'classification',
          iou: null,
          parameterValues: v.values,
          leakage: leakage.clean ? null : leakage,
          notes: '',
          standardIds: standards,
          createdBy: null,
          createdAt: now,
        });
        freezeVersion(db, testVersion, now);
        audit(db, 'runs:create', 'run', runId, { name: v.name });
        const rows = testIdx.flatMap((i, k) =>
          v.missed.includes(k) ? [] : [{ imageId: ids[i] as number, className: v.wrong[k] ?? (files[i]?.className as string), score: 0.55 + ((k * 7) % 40) / 100, box: null }],
        );
        insertImport(db, { runId, sourceName: `${v.name}.csv`, contentHash: v.name, rowsTotal: rows.length, refused: [], rows, importedBy: null, importedAt: now });
        const run = getRun(db, runId);
        if (!run) throw new Error('demo run vanished');
        const computed = computeRun(db, run);
        storeComputation(db, runId, computed, `results imported (${v.name}.csv)`, null, now);
        audit(db, 'runs:importResults', 'run', runId, { file: `${v.name}.csv`, rows: rows.length });
        return { name: v.name, accuracy: computed.figures.metrics.task === 'classification' ? computed.figures.metrics.accuracy : null };
      });
    })
    .immediate();
  return { images: files.length, datasets: ['Demo training set', 'Demo application test'], model: 'DemoNet', runs, quantifiedLabel: DEMO_MATRIX.name };
}
