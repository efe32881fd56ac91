import type { Migration } from '../types';

/**
 * Imported objects: blobs (content-addressed files), import batches and the fate of every
 * file in them, images with their identifying UIDs, and tags — the general mechanism every
 * later module hangs data on (DESIGN §3 tag flow). Imports are append-only: images and batch
 * items are never deleted; tag changes keep their history.
 */
export const migration0002Ingest: Migration = {
  version: 2,
  name: 'ingest',
  up(db) {
    db.exec(`
      CREATE TABLE blobs (
        sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        size        INTEGER NOT NULL,
        created_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE import_batches (
        id           INTEGER PRIMARY KEY,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'interrupted')),
        actor_id     INTEGER REFERENCES users(id),
        actor_name   TEXT,
        inputs       TEXT NOT NULL,
        options      TEXT NOT NULL,
        total        INTEGER NOT NULL DEFAULT 0,
        imported     INTEGER NOT NULL DEFAULT 0,
        duplicates   INTEGER NOT NULL DEFAULT 0,
        quarantined  INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE images (
        id                   INTEGER PRIMARY KEY,
        sha256               TEXT NOT NULL UNIQUE REFERENCES blobs(sha256),
        kind                 TEXT NOT NULL CHECK (kind IN ('dicom', 'png', 'jpeg')),
        viewable             INTEGER NOT NULL CHECK (viewable IN (0, 1)),
        width                INTEGER,
        height               INTEGER,
        frames               INTEGER NOT NULL DEFAULT 1,
        sop_instance_uid     TEXT,
        series_instance_uid  TEXT,
        study_instance_uid   TEXT,
        patient_id           TEXT,
        modality             TEXT,
        transfer_syntax      TEXT,
        pixel_spacing        TEXT,
        original_name        TEXT NOT NULL,
        original_path        TEXT NOT NULL,
        batch_id             INTEGER NOT NULL REFERENCES import_batches(id),
        imported_at          TEXT NOT NULL,
        phash                TEXT,
        thumbnail_sha256     TEXT REFERENCES blobs(sha256)
      ) STRICT;
      CREATE INDEX images_sop ON images(sop_instance_uid);
      CREATE INDEX images_series ON images(series_instance_uid);
      CREATE INDEX images_patient ON images(patient_id);
      CREATE INDEX images_phash ON images(phash);
      CREATE INDEX images_batch ON images(batch_id);
      CREATE TRIGGER images_no_delete BEFORE DELETE ON images
      BEGIN SELECT RAISE(ABORT, 'imported images are never deleted'); END;

      CREATE TABLE import_items (
        batch_id     INTEGER NOT NULL REFERENCES import_batches(id),
        seq          INTEGER NOT NULL,
        path         TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('imported', 'duplicate', 'quarantined')),
        image_id     INTEGER REFERENCES images(id),
        sha256       TEXT REFERENCES blobs(sha256),
        reason_code  TEXT,
        reason       TEXT,
        PRIMARY KEY (batch_id, seq)
      ) STRICT;
      CREATE INDEX import_items_status ON import_items(status, batch_id);
      CREATE TRIGGER import_items_no_update BEFORE UPDATE ON import_items
      BEGIN SELECT RAISE(ABORT, 'import reports are append-only'); END;
      CREATE TRIGGER import_items_no_delete BEFORE DELETE ON import_items
      BEGIN SELECT RAISE(ABORT, 'import reports are append-only'); END;

      CREATE TABLE image_tags (
        image_id    INTEGER NOT NULL REFERENCES images(id),
        namespace   TEXT NOT NULL,
        key         TEXT NOT NULL,
        value       TEXT NOT NULL,
        origin      TEXT NOT NULL CHECK (origin IN ('file', 'import', 'user')),
        updated_at  TEXT NOT NULL,
        updated_by  INTEGER REFERENCES users(id),
        PRIMARY KEY (image_id, namespace, key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX image_tags_value ON image_tags(namespace, key, value);

      CREATE TABLE image_tag_history (
        id          INTEGER PRIMARY KEY,
        image_id    INTEGER NOT NULL REFERENCES images(id),
        namespace   TEXT NOT NULL,
        key         TEXT NOT NULL,
        old_value   TEXT,
        new_value   TEXT,
        changed_at  TEXT NOT NULL,
        changed_by  INTEGER REFERENCES users(id)
      ) STRICT;
      CREATE TRIGGER image_tag_history_no_update BEFORE UPDATE ON image_tag_history
      BEGIN SELECT RAISE(ABORT, 'tag history is append-only'); END;
      CREATE TRIGGER image_tag_history_no_delete BEFORE DELETE ON image_tag_history
      BEGIN SELECT RAISE(ABORT, 'tag history is append-only'); END;
    `);
  },
};
