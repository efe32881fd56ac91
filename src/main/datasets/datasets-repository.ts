import crypto from 'node:crypto';
import type { DatasetPurpose, DatasetSummary } from '../../shared/contract';
import type { ReadableDB, WritableDB } from '../db/types';

/** SHA-256 over the sorted image ids: two versions with the same members have the same hash. */
export function imageSetHash(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  return crypto.createHash('sha256').update(sorted.join(',')).digest('hex');
}

export function findByName(db: ReadableDB, name: string): { id: number } | undefined {
  return db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number } | undefined;
}

export function insertDataset(
  db: WritableDB,
  d: { name: string; purpose: DatasetPurpose; description: string; source: unknown; createdBy: number | null; createdAt: string },
): number {
  const info = db
    .prepare('INSERT INTO datasets (name, purpose, description, source, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(d.name, d.purpose, d.description, JSON.stringify(d.source), d.createdBy, d.createdAt);
  return Number(info.lastInsertRowid);
}

export function insertVersion(
  db: WritableDB,
  v: { datasetId: number; version: number; imageIds: readonly number[]; createdBy: number | null; createdAt: string },
): number {
  const info = db
    .prepare(
      'INSERT INTO dataset_versions (dataset_id, version, image_count, image_set_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(v.datasetId, v.version, v.imageIds.length, imageSetHash(v.imageIds), v.createdBy, v.createdAt);
  const versionId = Number(info.lastInsertRowid);
  const add = db.prepare('INSERT INTO dataset_images (version_id, image_id) VALUES (?, ?)');
  for (const imageId of v.imageIds) add.run(versionId, imageId);
  return versionId;
}

const SUMMARY_SQL = `
  SELECT d.id, d.name, d.purpose, d.description, d.created_at, u.username AS created_by,
         v.version, v.image_count, v.frozen_at, v.image_set_hash
  FROM datasets d
  JOIN dataset_versions v ON v.dataset_id = d.id
    AND v.version = (SELECT max(version) FROM dataset_versions WHERE dataset_id = d.id)
  LEFT JOIN users u ON u.id = d.created_by`;

interface SummaryRow {
  id: number;
  name: string;
  purpose: DatasetPurpose;
  description: string;
  created_at: string;
  created_by: string | null;
  version: number;
  image_count: number;
  frozen_at: string | null;
  image_set_hash: string;
}

function toSummary(r: SummaryRow): DatasetSummary {
  return {
    id: r.id,
    name: r.name,
    purpose: r.purpose,
    description: r.description,
    createdAt: r.created_at,
    createdBy: r.created_by,
    latestVersion: r.version,
    imageCount: r.image_count,
    frozen: r.frozen_at !== null,
    imageSetHash: r.image_set_hash,
  };
}

export function listDatasets(db: ReadableDB, purpose?: DatasetPurpose): DatasetSummary[] {
  const rows = (purpose
    ? db.prepare(`${SUMMARY_SQL} WHERE d.purpose = ? ORDER BY d.id`).all(purpose)
    : db.prepare(`${SUMMARY_SQL} ORDER BY d.id`).all()) as SummaryRow[];
  return rows.map(toSummary);
}

export function getDataset(db: ReadableDB, id: number): DatasetSummary | undefined {
  const row = db.prepare(`${SUMMARY_SQL} WHERE d.id = ?`).get(id) as SummaryRow | undefined;
  return row ? toSummary(row) : undefined;
}

export function versionImageIds(db: ReadableDB, datasetId: number, version?: number): number[] | undefined {
  const v = db
    .prepare(
      version === undefined
        ? 'SELECT id FROM dataset_versions WHERE dataset_id = ? ORDER BY version DESC LIMIT 1'
        : 'SELECT id FROM dataset_versions WHERE dataset_id = ? AND version = ?',
    )
    .get(...(version === undefined ? [datasetId] : [datasetId, version])) as { id: number } | undefined;
  if (!v) return undefined;
  return (db.prepare('SELECT image_id FROM dataset_images WHERE version_id = ? ORDER BY image_id').all(v.id) as { image_id: number }[]).map(
    (r) => r.image_id,
  );
}
