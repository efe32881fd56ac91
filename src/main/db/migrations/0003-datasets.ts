import type { Migration } from '../types';

/**
 * Datasets of every purpose (DESIGN §2.2, §2.3): a to-label set built by ops, labeling sets,
 * training and test sets. Membership lives in versions; a version is frozen (its image set
 * hash fixed, membership immutable) once something depends on it, e.g. a test run.
 */
export const migration0003Datasets: Migration = {
  version: 3,
  name: 'datasets',
  up(db) {
    db.exec(`
      CREATE TABLE datasets (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
        purpose      TEXT NOT NULL CHECK (purpose IN ('to_label', 'labeling', 'training', 'training_test', 'application_test')),
        description  TEXT NOT NULL DEFAULT '',
        source       TEXT NOT NULL DEFAULT '{}',
        created_by   INTEGER REFERENCES users(id),
        created_at   TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER datasets_no_delete BEFORE DELETE ON datasets
      BEGIN SELECT RAISE(ABORT, 'datasets are never deleted'); END;

      CREATE TABLE dataset_versions (
        id              INTEGER PRIMARY KEY,
        dataset_id      INTEGER NOT NULL REFERENCES datasets(id),
        version         INTEGER NOT NULL,
        image_count     INTEGER NOT NULL,
        image_set_hash  TEXT NOT NULL,
        created_by      INTEGER REFERENCES users(id),
        created_at      TEXT NOT NULL,
        frozen_at       TEXT,
        UNIQUE (dataset_id, version)
      ) STRICT;
      CREATE TRIGGER dataset_versions_no_delete BEFORE DELETE ON dataset_versions
      BEGIN SELECT RAISE(ABORT, 'dataset versions are never deleted'); END;
      -- Only freezing is allowed once a version exists, and only once.
      CREATE TRIGGER dataset_versions_freeze_only BEFORE UPDATE ON dataset_versions
      WHEN OLD.frozen_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.dataset_id IS NOT OLD.dataset_id
        OR NEW.version IS NOT OLD.version OR NEW.image_count IS NOT OLD.image_count
        OR NEW.image_set_hash IS NOT OLD.image_set_hash
      BEGIN SELECT RAISE(ABORT, 'a dataset version is immutable once frozen; only freezing it is allowed'); END;

      CREATE TABLE dataset_images (
        version_id  INTEGER NOT NULL REFERENCES dataset_versions(id),
        image_id    INTEGER NOT NULL REFERENCES images(id),
        PRIMARY KEY (version_id, image_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX dataset_images_image ON dataset_images(image_id);
      CREATE TRIGGER dataset_images_frozen_insert BEFORE INSERT ON dataset_images
      WHEN (SELECT frozen_at FROM dataset_versions WHERE id = NEW.version_id) IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'the dataset version is frozen'); END;
      CREATE TRIGGER dataset_images_no_delete BEFORE DELETE ON dataset_images
      WHEN (SELECT frozen_at FROM dataset_versions WHERE id = OLD.version_id) IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'the dataset version is frozen'); END;
    `);
  },
};
