import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/workspace';
import { openDatabase } from '../database';
import type { WritableDB } from '../types';
import { migrations } from './index';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function open(upTo: number): { db: WritableDB; file: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const file = `${t.dir}/midc.sqlite`;
  const db = openDatabase(file, { migrations: migrations.slice(0, upTo) });
  cleanups.unshift(() => db.close());
  return { db, file };
}

const SNAPSHOT = (matrixId: number) => JSON.stringify({ metrics: { task: 'classification', quant: [{ matrixId, name: 'harm', version: 1, score: 1, perClass: {} }] } });

describe('migration 0007 (quantified labels)', () => {
  it('backfills the classes of matrices stored by 0006', () => {
    const { db, file } = open(6);
    db.exec(`
      INSERT INTO quant_matrices (name, version, matrix, created_at) VALUES ('harm', 1, '{"name":"harm","default":0,"values":{"a":{"a":1},"b":{}}}', 't');
      INSERT INTO quant_matrices (name, version, matrix, created_at) VALUES ('unused', 1, '{"name":"unused","default":0,"values":{}}', 't');
    `);
    db.close();
    cleanups.shift();
    const migrated = openDatabase(file, { migrations });
    cleanups.unshift(() => migrated.close());
    const rows = migrated.prepare('SELECT name, classes, used_at, description FROM quant_matrices ORDER BY id').all();
    expect(rows).toEqual([
      { name: 'harm', classes: '["a","b"]', used_at: null, description: '' },
      { name: 'unused', classes: '[]', used_at: null, description: '' },
    ]);
  });

  it('allows in-place edits until a snapshot uses the version, then refuses them', () => {
    const { db } = open(migrations.length);
    const h = 'a'.repeat(64);
    db.exec(`
      INSERT INTO blobs (sha256, size, created_at) VALUES ('${h}', 1, 't');
      INSERT INTO import_batches (started_at, status, inputs, options) VALUES ('t', 'done', '[]', '{}');
      INSERT INTO images (sha256, kind, viewable, original_name, original_path, batch_id, imported_at) VALUES ('${h}', 'png', 1, 'a.png', '/a.png', 1, 't');
      INSERT INTO datasets (name, purpose, created_at) VALUES ('test', 'application_test', 't');
      INSERT INTO dataset_versions (dataset_id, version, image_count, image_set_hash, created_at) VALUES (1, 1, 1, 'x', 't');
      INSERT INTO models (name, task, created_at) VALUES ('m', 'classification', 't');
      INSERT INTO runs (name, model_id, dataset_id, version_id, task, parameter_values, created_at) VALUES ('r', 1, 1, 1, 'classification', '{}', 't');
      INSERT INTO quant_matrices (name, version, matrix, created_at) VALUES ('harm', 1, '{}', 't');
      UPDATE quant_matrices SET matrix = '{"x":1}', description = 'edited', classes = '["x"]', updated_at = 't1';
    `);
    expect(() => db.exec("UPDATE quant_matrices SET version = 2")).toThrow(/never edited/);
    db.prepare("INSERT INTO run_snapshots (run_id, seq, inputs, hash, metrics, reason, created_at) VALUES (1, 1, '{}', ?, ?, 'computed', 't2')").run(h, SNAPSHOT(1));
    expect(db.prepare('SELECT used_at FROM quant_matrices').pluck().get()).toBe('t2');
    expect(() => db.exec("UPDATE quant_matrices SET matrix = '{}'")).toThrow(/never edited/);
    expect(() => db.exec('UPDATE quant_matrices SET used_at = NULL')).toThrow(/never edited/);
    expect(() => db.exec('DELETE FROM quant_matrices')).toThrow(/never deleted/);
    db.exec("UPDATE quant_matrices SET disabled_at = 't3'");
    expect(() => db.exec('UPDATE quant_matrices SET disabled_at = NULL')).toThrow(/never edited/);
    // A later snapshot never moves the first use.
    db.prepare("INSERT INTO run_snapshots (run_id, seq, inputs, hash, metrics, reason, created_at) VALUES (1, 2, '{}', ?, ?, 'again', 't4')").run(h, SNAPSHOT(1));
    expect(db.prepare('SELECT used_at FROM quant_matrices').pluck().get()).toBe('t2');

    db.exec("INSERT INTO run_quant_matrices (run_id, matrix_id, added_at) VALUES (1, 1, 't')");
    db.exec("UPDATE run_quant_matrices SET ended_at = 't5'");
    expect(() => db.exec("UPDATE run_quant_matrices SET ended_at = 't6'")).toThrow(/only ever ended/);
    expect(() => db.exec('DELETE FROM run_quant_matrices')).toThrow(/kept as history/);
  });
});
