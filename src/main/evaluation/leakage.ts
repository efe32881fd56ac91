import type { LeakagePair, LeakageReason, LeakageReport } from '../../shared/contract';
import type { ReadableDB } from '../db/types';
import { hammingDistance } from '../ingest/pixels';

/** Near duplicates: perceptual (difference) hashes at most this many bits apart (as images:nearDuplicates). */
export const NEAR_DUPLICATE_BITS = 4;

interface ImageFacts {
  id: number;
  sop_instance_uid: string | null;
  series_instance_uid: string | null;
  patient_id: string | null;
  phash: string | null;
}

/** The training sets of a model: every dataset version its training plans name, except the test sets a plan names. */
export function trainingSetsOf(db: ReadableDB, modelId: number): LeakageReport['trainingSets'] {
  return (
    db
      .prepare(
        `SELECT pd.dataset_id, d.name, v.version, pd.plan_id FROM plan_datasets pd
         JOIN training_plans p ON p.id = pd.plan_id JOIN datasets d ON d.id = pd.dataset_id JOIN dataset_versions v ON v.id = pd.version_id
         WHERE p.model_id = ? AND d.purpose NOT IN ('training_test', 'application_test') ORDER BY pd.plan_id, pd.dataset_id`,
      )
      .all(modelId) as { dataset_id: number; name: string; version: number; plan_id: number }[]
  ).map((r) => ({ datasetId: r.dataset_id, name: r.name, version: r.version, planId: r.plan_id }));
}

function facts(db: ReadableDB, sql: string, ...params: unknown[]): ImageFacts[] {
  return db.prepare(sql).all(...params) as ImageFacts[];
}

/**
 * Checks a test set (one dataset version) against the model's training sets (DESIGN §2.3):
 * identical bytes (the store keeps one image per SHA-256, so the same image), the same SOP
 * Instance UID, the same Series UID, the same patient, and near-duplicate pixels. A pair is
 * listed under every reason that holds, so the user sees why it overlaps.
 */
export function checkLeakage(db: ReadableDB, modelId: number, testVersionId: number): LeakageReport {
  const trainingSets = trainingSetsOf(db, modelId);
  const reasons: Record<LeakageReason, LeakagePair[]> = { identical: [], sopInstance: [], series: [], patient: [], nearDuplicate: [] };
  const cols = 'i.id, i.sop_instance_uid, i.series_instance_uid, i.patient_id, i.phash';
  const test = facts(db, `SELECT ${cols} FROM dataset_images di JOIN images i ON i.id = di.image_id WHERE di.version_id = ? ORDER BY i.id`, testVersionId);
  const versionIds = db
    .prepare(
      `SELECT DISTINCT pd.version_id, pd.dataset_id FROM plan_datasets pd JOIN training_plans p ON p.id = pd.plan_id JOIN datasets d ON d.id = pd.dataset_id
       WHERE p.model_id = ? AND d.purpose NOT IN ('training_test', 'application_test') ORDER BY pd.dataset_id`,
    )
    .all(modelId) as { version_id: number; dataset_id: number }[];
  const seen = new Set<string>();
  for (const { version_id: versionId, dataset_id: datasetId } of versionIds) {
    const training = facts(db, `SELECT ${cols} FROM dataset_images di JOIN images i ON i.id = di.image_id WHERE di.version_id = ? ORDER BY i.id`, versionId);
    const index = <K extends keyof ImageFacts>(key: K) => {
      const map = new Map<string, ImageFacts[]>();
      for (const t of training) {
        const v = t[key];
        if (v === null || v === '') continue;
        const list = map.get(String(v));
        if (list) list.push(t);
        else map.set(String(v), [t]);
      }
      return map;
    };
    const byId = index('id');
    const bySop = index('sop_instance_uid');
    const bySeries = index('series_instance_uid');
    const byPatient = index('patient_id');
    const withHash = training.filter((t) => t.phash);
    const add = (reason: LeakageReason, testId: number, trainingId: number, detail: string) => {
      const k = `${reason}|${testId}|${trainingId}`;
      if (seen.has(k)) return;
      seen.add(k);
      reasons[reason].push({ testImageId: testId, trainingImageId: trainingId, trainingDatasetId: datasetId, detail });
    };
    for (const img of test) {
      for (const t of byId.get(String(img.id)) ?? []) add('identical', img.id, t.id, 'the same file (identical SHA-256)');
      if (img.sop_instance_uid) for (const t of bySop.get(img.sop_instance_uid) ?? []) add('sopInstance', img.id, t.id, img.sop_instance_uid);
      if (img.series_instance_uid) for (const t of bySeries.get(img.series_instance_uid) ?? []) add('series', img.id, t.id, img.series_instance_uid);
      if (img.patient_id) for (const t of byPatient.get(img.patient_id) ?? []) add('patient', img.id, t.id, img.patient_id);
      if (img.phash) {
        for (const t of withHash) {
          const d = hammingDistance(img.phash, t.phash as string);
          if (d <= NEAR_DUPLICATE_BITS) add('nearDuplicate', img.id, t.id, String(d));
        }
      }
    }
  }
  const testImageIds = [...new Set(Object.values(reasons).flatMap((list) => list.map((p) => p.testImageId)))].sort((a, b) => a - b);
  return { trainingSets, reasons, testImageIds, clean: testImageIds.length === 0 };
}
