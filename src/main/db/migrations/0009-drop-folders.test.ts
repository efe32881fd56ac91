import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/workspace';
import { openDatabase } from '../database';
import { migrations } from './index';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function open() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const db = openDatabase(`${t.dir}/midc.sqlite`, { migrations });
  cleanups.unshift(() => db.close());
  db.exec(`
    INSERT INTO models (name, task, created_at) VALUES ('m', 'classification', 't');
    INSERT INTO datasets (name, purpose, created_at) VALUES ('test', 'application_test', 't');
    INSERT INTO dataset_versions (dataset_id, version, image_count, image_set_hash, created_at) VALUES (1, 1, 0, 'h', 't');
    INSERT INTO runs (name, model_id, dataset_id, version_id, task, parameter_values, created_at) VALUES ('r', 1, 1, 1, 'classification', '{}', 't');
    INSERT INTO drop_folders (path, mode, run_id, created_at) VALUES ('/drop', 'into_run', 1, 't');
    INSERT INTO drop_folder_files (folder_id, file_name, content_hash, outcome, run_id, report, processed_at) VALUES (1, 'a.csv', 'h', 'imported', 1, '{}', 't');
  `);
  return db;
}

describe('migration 0009 (drop folders)', () => {
  it('lets a drop folder only be disabled, once, and keeps one active folder per path', () => {
    const db = open();
    expect(() => db.prepare("INSERT INTO drop_folders (path, mode, run_id, created_at) VALUES ('/drop', 'new_run', 1, 't')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE drop_folders SET path = '/other' WHERE id = 1").run()).toThrow(/only ever disabled/);
    db.prepare("UPDATE drop_folders SET disabled_at = 't2' WHERE id = 1").run();
    expect(() => db.prepare("UPDATE drop_folders SET disabled_at = 't3' WHERE id = 1").run()).toThrow(/only ever disabled/);
    expect(() => db.prepare('DELETE FROM drop_folders').run()).toThrow(/kept as history/);
    db.prepare("INSERT INTO drop_folders (path, mode, run_id, created_at) VALUES ('/drop', 'new_run', 1, 't')").run();
  });

  it('keeps processed files append-only and each (folder, name, content) once', () => {
    const db = open();
    expect(() => db.prepare("INSERT INTO drop_folder_files (folder_id, file_name, content_hash, outcome, report, processed_at) VALUES (1, 'a.csv', 'h', 'refused', '{}', 't')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE drop_folder_files SET outcome = 'refused'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM drop_folder_files').run()).toThrow(/append-only/);
  });
});
