import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/workspace';
import { openDatabase } from '../database';
import type { WritableDB } from '../types';
import { migrations } from './index';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A database at version 6 with one image, a test dataset, a model, a run with one prediction and one snapshot. */
function db6(): WritableDB {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const db = openDatabase(`${t.dir}/midc.sqlite`, { migrations: migrations.slice(0, 6) });
  cleanups.unshift(() => db.close());
  const h = 'a'.repeat(64);
  db.exec(`
    INSERT INTO blobs (sha256, size, created_at) VALUES ('${h}', 1, 't');
    INSERT INTO import_batches (started_at, status, inputs, options) VALUES ('t', 'done', '[]', '{}');
    INSERT INTO images (sha256, kind, viewable, original_name, original_path, batch_id, imported_at) VALUES ('${h}', 'png', 1, 'a.png', '/a.png', 1, 't');
    INSERT INTO datasets (name, purpose, created_at) VALUES ('test', 'application_test', 't');
    INSERT INTO dataset_versions (dataset_id, version, image_count, image_set_hash, created_at) VALUES (1, 1, 1, 'x', 't');
    INSERT INTO dataset_images (version_id, image_id) VALUES (1, 1);
    INSERT INTO models (name, task, created_at) VALUES ('m', 'classification', 't');
    INSERT INTO gt_sets (dataset_id, task, source_name, mode, item_count, content_hash, created_at) VALUES (1, 'classification', 'gt.csv', 'replace', 1, 'h', 't');
    INSERT INTO gt_items (gt_set_id, seq, image_id, class_name) VALUES (1, 0, 1, 'cat');
    INSERT INTO runs (name, model_id, dataset_id, version_id, task, parameter_values, created_at) VALUES ('r', 1, 1, 1, 'classification', '{}', 't');
    INSERT INTO run_imports (run_id, source_name, content_hash, rows_total, rows_accepted, imported_at) VALUES (1, 'p.csv', 'h', 1, 1, 't');
    INSERT INTO run_predictions (import_id, seq, image_id, class_name, score) VALUES (1, 0, 1, 'cat', 0.9);
    INSERT INTO run_snapshots (run_id, seq, inputs, hash, metrics, reason, created_at) VALUES (1, 1, '{}', '${h}', '{}', 'computed', 't');
    INSERT INTO run_outcomes (run_id, image_id, true_class, predicted_class, score, outcome) VALUES (1, 1, 'cat', 'cat', 0.9, 'correct');
    INSERT INTO quant_matrices (name, version, matrix, created_at) VALUES ('harm', 1, '{}', 't');
  `);
  return db;
}

describe('migration 0006 evaluation', () => {
  it('keeps ground truth, imports, predictions and snapshots append-only', () => {
    const db = db6();
    for (const sql of [
      "UPDATE gt_items SET class_name = 'dog'",
      'DELETE FROM gt_sets',
      'UPDATE run_predictions SET score = 0.1',
      'DELETE FROM run_imports',
      "UPDATE run_snapshots SET reason = 'x'",
      'DELETE FROM run_snapshots',
    ]) {
      expect(() => db.exec(sql), sql).toThrow(/append-only/);
    }
  });

  it('never deletes a run nor changes its inputs, but lets outcomes be replaced with a new snapshot', () => {
    const db = db6();
    expect(() => db.exec('DELETE FROM runs')).toThrow(/never deleted/);
    expect(() => db.exec("UPDATE runs SET parameter_values = '{\"a\":1}'")).toThrow(/never change/);
    db.exec("UPDATE runs SET notes = 'checked'");
    db.exec('DELETE FROM run_outcomes');
    expect(db.prepare('SELECT count(*) AS n FROM run_outcomes').get()).toEqual({ n: 0 });
  });

  it('lets a quantified-label version only be disabled, and a link only be ended', () => {
    const db = db6();
    expect(() => db.exec("UPDATE quant_matrices SET matrix = '{\"x\":1}'")).toThrow(/never edited/);
    expect(() => db.exec('DELETE FROM quant_matrices')).toThrow(/never deleted/);
    db.exec("UPDATE quant_matrices SET disabled_at = 't2'");
    expect(() => db.exec('UPDATE quant_matrices SET disabled_at = NULL')).toThrow(/never edited/);
    db.exec("INSERT INTO test_standards (name, metric, comparison, threshold, created_at) VALUES ('q', 'quant', '>=', 1, 't')");
    db.exec("INSERT INTO quant_standard_links (standard_id, matrix_id, linked_at) VALUES (1, 1, 't')");
    db.exec("UPDATE quant_standard_links SET unlinked_at = 't3'");
    expect(() => db.exec("UPDATE quant_standard_links SET unlinked_at = 't4'")).toThrow(/only ever ended/);
    expect(() => db.exec('DELETE FROM quant_standard_links')).toThrow(/kept as history/);
  });
});
