import crypto from 'node:crypto';
import type { ReadableDB } from '../db/types';

export interface SplitPart {
  readonly name: string;
  readonly fraction: number;
}

/**
 * Assigns images to parts so that all images of one group go to one part. A group is the
 * patient (PatientID), else the study (Study Instance UID), else the image alone. Groups are
 * ordered by SHA-256(seed, group key), a deterministic shuffle, then each goes to the part
 * furthest below its target image count; so the same seed always gives the same split, and
 * parts come out close to their fractions while patients never straddle two parts.
 */
export function splitImages(db: ReadableDB, imageIds: readonly number[], parts: readonly SplitPart[], seed: string): number[][] {
  const rows = db
    .prepare('SELECT id, patient_id, study_instance_uid FROM images WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
    .all(JSON.stringify(imageIds)) as { id: number; patient_id: string | null; study_instance_uid: string | null }[];
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const key = r.patient_id ? `patient:${r.patient_id}` : r.study_instance_uid ? `study:${r.study_instance_uid}` : `image:${r.id}`;
    const list = groups.get(key);
    if (list) list.push(r.id);
    else groups.set(key, [r.id]);
  }
  const order = [...groups.entries()]
    .map(([key, ids]) => ({ key, ids, rank: crypto.createHash('sha256').update(`${seed}\u0000${key}`).digest('hex') }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  const total = rows.length;
  const out: number[][] = parts.map(() => []);
  for (const g of order) {
    let best = 0;
    let bestDeficit = -Infinity;
    parts.forEach((p, i) => {
      const deficit = p.fraction * total - (out[i] as number[]).length;
      if (deficit > bestDeficit) {
        best = i;
        bestDeficit = deficit;
      }
    });
    (out[best] as number[]).push(...g.ids);
  }
  return out.map((ids) => ids.sort((a, b) => a - b));
}
