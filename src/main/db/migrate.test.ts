import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { tempDir } from '../../../test/helpers/workspace';
import { openDatabase } from './database';
import { migrate } from './migrate';
import { migrations } from './migrations';
import type { Migration, WritableDB } from './types';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function tempDbFile(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return `${t.dir}/midc.sqlite`;
}

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it('migrate a new database from zero to the newest version', () => {
    const db = openDatabase(tempDbFile());
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    db.close();
  });

  it('leave a database at a whole version when a migration fails half-way', () => {
    const file = tempDbFile();
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half (x)');
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(file, { migrations: [migrations[0] as Migration, broken] })).toThrow('boom');
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it('refuse a database written by a newer MIDC and change nothing', () => {
    const file = tempDbFile();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 5}`);
    raw.close();
    let caught: unknown;
    try {
      openDatabase(file);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('CONFLICT');
    expect((caught as AppError).message).toMatch(/newer than this MIDC/);
    const after = new Database(file);
    expect(after.pragma('user_version', { simple: true })).toBe(migrations.length + 5);
    after.close();
  });

  it('skip migrations already applied', () => {
    const db = openDatabase(tempDbFile());
    let ran = 0;
    const extra: Migration = { version: migrations.length + 1, name: 'extra', up: () => void ran++ };
    migrate(db as WritableDB, [...migrations, extra]);
    migrate(db as WritableDB, [...migrations, extra]);
    expect(ran).toBe(1);
    db.close();
  });
});

describe('migration 0001 core', () => {
  it('creates accounts, settings and an append-only audit log', () => {
    const db = openDatabase(tempDbFile(), { migrations: migrations.slice(0, 1) });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(tables).toEqual(expect.arrayContaining(['users', 'user_roles', 'settings', 'audit_log']));
    db.prepare(
      "INSERT INTO audit_log (ts, action, outcome, workstation, details, prev_hash, hash) VALUES ('t', 'a', 0, 'w', '{}', 'p', 'h')",
    ).run();
    expect(() => db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.prepare("INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('u', 'U', 'h', 't')").run();
    expect(() => db.prepare('DELETE FROM users').run()).toThrow(/never deleted/);
    expect(() =>
      db.prepare("INSERT INTO user_roles (user_id, role) VALUES (1, 'superuser')").run(),
    ).toThrow(/CHECK constraint/);
    db.close();
  });
});

describe('migration 0002 ingest', () => {
  it('adds blobs, batches, images, items and tags, with imports append-only', () => {
    const db = openDatabase(tempDbFile(), { migrations: migrations.slice(0, 2) });
    db.prepare("INSERT INTO blobs (sha256, size, created_at) VALUES (?, 1, 't')").run('a'.repeat(64));
    db.prepare("INSERT INTO import_batches (started_at, status, inputs, options) VALUES ('t', 'running', '[]', '{}')").run();
    db.prepare(
      "INSERT INTO images (sha256, kind, viewable, original_name, original_path, batch_id, imported_at) VALUES (?, 'dicom', 1, 'a.dcm', '/a.dcm', 1, 't')",
    ).run('a'.repeat(64));
    db.prepare("INSERT INTO import_items (batch_id, seq, path, status, image_id) VALUES (1, 0, '/a.dcm', 'imported', 1)").run();
    expect(() => db.prepare('DELETE FROM images').run()).toThrow(/never deleted/);
    expect(() => db.prepare("UPDATE import_items SET status = 'duplicate'").run()).toThrow(/append-only/);
    expect(() =>
      db.prepare("INSERT INTO images (sha256, kind, viewable, original_name, original_path, batch_id, imported_at) VALUES (?, 'dicom', 1, 'b', '/b', 1, 't')").run('b'.repeat(64)),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe('migration 0003 datasets', () => {
  it('adds datasets with versions whose membership is fixed once frozen', () => {
    const db = openDatabase(tempDbFile(), { migrations: migrations.slice(0, 3) });
    db.prepare("INSERT INTO datasets (name, purpose, created_at) VALUES ('a', 'training', 't')").run();
    db.prepare("INSERT INTO dataset_versions (dataset_id, version, image_count, image_set_hash, created_at) VALUES (1, 1, 0, 'h', 't')").run();
    expect(() => db.prepare("INSERT INTO datasets (name, purpose, created_at) VALUES ('A', 'training', 't')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO datasets (name, purpose, created_at) VALUES ('b', 'fun', 't')").run()).toThrow(/CHECK/);
    db.prepare("UPDATE dataset_versions SET frozen_at = 't2' WHERE id = 1").run();
    expect(() => db.prepare("UPDATE dataset_versions SET frozen_at = 't3' WHERE id = 1").run()).toThrow(/immutable/);
    db.close();
  });
});

describe('migration 0004 registries', () => {
  function db4(): WritableDB {
    const db = openDatabase(tempDbFile(), { migrations: migrations.slice(0, 4) });
    db.exec(`
      INSERT INTO models (name, summary, task, created_at) VALUES ('resnet', 'v1', 'classification', 't');
      INSERT INTO algorithm_parameters (name, type, min_value, max_value, created_at) VALUES ('lr', 'number', 0.001, 0.1, 't');
      INSERT INTO algorithm_parameters (name, type, created_at) VALUES ('optimizer', 'option', 't');
      INSERT INTO parameter_options (parameter_id, value, created_at) VALUES (2, 'adam', 't');
      INSERT INTO test_standards (name, metric, comparison, threshold, created_at) VALUES ('acc90', 'accuracy', '>=', 0.9, 't');
    `);
    return db;
  }

  it('lets a model change its name and summary only, and never be deleted', () => {
    const db = db4();
    db.prepare("UPDATE models SET name = 'resnet-50', summary = 'v2' WHERE id = 1").run();
    expect(() => db.prepare("UPDATE models SET task = 'detection'").run()).toThrow(/only the name and summary/);
    expect(() => db.prepare('DELETE FROM models').run()).toThrow(/never deleted/);
    db.close();
  });

  it('widens numeric ranges, refuses narrowing, and never edits or deletes options', () => {
    const db = db4();
    db.prepare('UPDATE algorithm_parameters SET min_value = 0.0001, max_value = 1 WHERE id = 1').run();
    expect(() => db.prepare('UPDATE algorithm_parameters SET max_value = 0.5 WHERE id = 1').run()).toThrow(/only be widened/);
    expect(() => db.prepare('UPDATE algorithm_parameters SET min_value = 0.01 WHERE id = 1').run()).toThrow(/only be widened/);
    expect(() => db.prepare("UPDATE algorithm_parameters SET type = 'text' WHERE id = 1").run()).toThrow(/only be disabled/);
    db.prepare('UPDATE algorithm_parameters SET disabled = 1 WHERE id = 1').run();
    db.prepare('UPDATE parameter_options SET disabled = 1 WHERE id = 1').run();
    expect(() => db.prepare("UPDATE parameter_options SET value = 'sgd' WHERE id = 1").run()).toThrow(/never edited/);
    expect(() => db.prepare('DELETE FROM parameter_options').run()).toThrow(/never deleted/);
    expect(() => db.prepare('DELETE FROM algorithm_parameters').run()).toThrow(/never deleted/);
    expect(() => db.prepare("INSERT INTO parameter_options (parameter_id, value, created_at) VALUES (1, 'x', 't')").run()).toThrow(/type option/);
    db.close();
  });

  it('lets a test standard be created and disabled, nothing else', () => {
    const db = db4();
    expect(() => db.prepare('UPDATE test_standards SET threshold = 0.8').run()).toThrow(/created and disabled/);
    db.prepare("UPDATE test_standards SET disabled_at = 't2'").run();
    expect(() => db.prepare('UPDATE test_standards SET disabled_at = NULL').run()).toThrow(/created and disabled/);
    expect(() => db.prepare('DELETE FROM test_standards').run()).toThrow(/never deleted/);
    db.close();
  });
});
