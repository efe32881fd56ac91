import type { Migration } from '../types';

/**
 * Watched drop folders (issue 5 item 5). A folder imports the result files that arrive in it
 * either into one run (`into_run`) or into a new run per file that copies the inputs of a
 * template run (`new_run`: same model, plan, dataset version, parameters and standards).
 *
 * `drop_folder_files` is the record that a file was processed: it is written in the same
 * transaction as the import it caused, so a file the app had imported but not yet moved when
 * it died is recognised at restart (same folder, name and content hash) and only moved.
 * Configurations are only ever disabled, never deleted; the file record is append-only.
 */
export const migration0009DropFolders: Migration = {
  version: 9,
  name: 'drop-folders',
  up(db) {
    db.exec(`
      CREATE TABLE drop_folders (
        id              INTEGER PRIMARY KEY,
        path            TEXT NOT NULL,
        mode            TEXT NOT NULL CHECK (mode IN ('into_run', 'new_run')),
        run_id          INTEGER NOT NULL REFERENCES runs(id),
        accept_partial  INTEGER NOT NULL DEFAULT 0 CHECK (accept_partial IN (0, 1)),
        created_by      INTEGER REFERENCES users(id),
        created_at      TEXT NOT NULL,
        disabled_at     TEXT
      ) STRICT;
      CREATE UNIQUE INDEX drop_folders_active_path ON drop_folders(path) WHERE disabled_at IS NULL;
      CREATE TRIGGER drop_folders_only_disable BEFORE UPDATE ON drop_folders
      WHEN OLD.disabled_at IS NOT NULL OR NEW.disabled_at IS NULL OR NEW.path IS NOT OLD.path OR NEW.mode IS NOT OLD.mode
        OR NEW.run_id IS NOT OLD.run_id OR NEW.accept_partial IS NOT OLD.accept_partial
        OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'a drop folder is only ever disabled; configure a new one'); END;
      CREATE TRIGGER drop_folders_no_delete BEFORE DELETE ON drop_folders
      BEGIN SELECT RAISE(ABORT, 'drop folders are kept as history'); END;

      CREATE TABLE drop_folder_files (
        id            INTEGER PRIMARY KEY,
        folder_id     INTEGER NOT NULL REFERENCES drop_folders(id),
        file_name     TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        outcome       TEXT NOT NULL CHECK (outcome IN ('imported', 'refused')),
        run_id        INTEGER REFERENCES runs(id),
        report        TEXT NOT NULL,
        processed_at  TEXT NOT NULL,
        UNIQUE (folder_id, file_name, content_hash)
      ) STRICT;
      CREATE TRIGGER drop_folder_files_no_update BEFORE UPDATE ON drop_folder_files
      BEGIN SELECT RAISE(ABORT, 'drop folder files are append-only'); END;
      CREATE TRIGGER drop_folder_files_no_delete BEFORE DELETE ON drop_folder_files
      BEGIN SELECT RAISE(ABORT, 'drop folder files are append-only'); END;
    `);
  },
};
