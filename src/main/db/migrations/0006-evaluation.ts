import type { Migration } from '../types';

/**
 * Evaluation (DESIGN §2.3, §3, §4.1): imported ground truth, training plans, test runs with
 * their imported predictions, the stored per-image (classification) and per-box (detection)
 * outcomes every metric and drill-down is a query over, append-only metric snapshots, and the
 * quantified-label matrices a snapshot is scored with.
 *
 * What is history is append-only by trigger: ground-truth sets and their items, prediction
 * imports and their rows, snapshots, plans. Outcomes are derived from the newest snapshot and
 * are replaced with it (the snapshot keeps the figures they were counted into).
 */
export const migration0006Evaluation: Migration = {
  version: 6,
  name: 'evaluation',
  up(db) {
    db.exec(`
      -- One imported ground truth of a dataset (a file, or a merge of a file over the previous
      -- set). The newest set of a dataset and task is its current imported ground truth.
      CREATE TABLE gt_sets (
        id            INTEGER PRIMARY KEY,
        dataset_id    INTEGER NOT NULL REFERENCES datasets(id),
        task          TEXT NOT NULL CHECK (task IN ('classification', 'detection')),
        source_name   TEXT NOT NULL,
        mode          TEXT NOT NULL CHECK (mode IN ('replace', 'merge', 'copy')),
        parent_id     INTEGER REFERENCES gt_sets(id),
        item_count    INTEGER NOT NULL,
        content_hash  TEXT NOT NULL,
        refused       TEXT NOT NULL DEFAULT '[]',
        created_by    INTEGER REFERENCES users(id),
        created_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX gt_sets_dataset ON gt_sets(dataset_id, task, id);

      -- Classification: one row per image (class only). Detection: one row per box; an image
      -- declared without objects has one row with a NULL class and box.
      CREATE TABLE gt_items (
        gt_set_id   INTEGER NOT NULL REFERENCES gt_sets(id),
        seq         INTEGER NOT NULL,
        image_id    INTEGER NOT NULL REFERENCES images(id),
        class_name  TEXT,
        x REAL, y REAL, w REAL, h REAL,
        PRIMARY KEY (gt_set_id, seq)
      ) STRICT;
      CREATE INDEX gt_items_image ON gt_items(image_id);

      CREATE TABLE training_plans (
        id                INTEGER PRIMARY KEY,
        name              TEXT NOT NULL UNIQUE COLLATE NOCASE,
        model_id          INTEGER NOT NULL REFERENCES models(id),
        parameter_values  TEXT NOT NULL,
        notes             TEXT NOT NULL DEFAULT '',
        created_by        INTEGER REFERENCES users(id),
        created_at        TEXT NOT NULL
      ) STRICT;
      CREATE TABLE plan_datasets (
        plan_id     INTEGER NOT NULL REFERENCES training_plans(id),
        dataset_id  INTEGER NOT NULL REFERENCES datasets(id),
        version_id  INTEGER NOT NULL REFERENCES dataset_versions(id),
        PRIMARY KEY (plan_id, version_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE runs (
        id                INTEGER PRIMARY KEY,
        name              TEXT NOT NULL,
        model_id          INTEGER NOT NULL REFERENCES models(id),
        plan_id           INTEGER REFERENCES training_plans(id),
        dataset_id        INTEGER NOT NULL REFERENCES datasets(id),
        version_id        INTEGER NOT NULL REFERENCES dataset_versions(id),
        task              TEXT NOT NULL CHECK (task IN ('classification', 'detection')),
        iou               REAL CHECK (iou IS NULL OR (iou > 0 AND iou <= 1)),
        parameter_values  TEXT NOT NULL,
        leakage           TEXT,
        notes             TEXT NOT NULL DEFAULT '',
        created_by        INTEGER REFERENCES users(id),
        created_at        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX runs_model ON runs(model_id);
      CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs
      BEGIN SELECT RAISE(ABORT, 'test runs are never deleted'); END;
      CREATE TRIGGER runs_fixed BEFORE UPDATE ON runs
      WHEN NEW.model_id IS NOT OLD.model_id OR NEW.version_id IS NOT OLD.version_id OR NEW.task IS NOT OLD.task
        OR NEW.parameter_values IS NOT OLD.parameter_values OR NEW.iou IS NOT OLD.iou OR NEW.dataset_id IS NOT OLD.dataset_id
      BEGIN SELECT RAISE(ABORT, 'the inputs of a test run never change; record a new run'); END;

      CREATE TABLE run_standards (
        run_id       INTEGER NOT NULL REFERENCES runs(id),
        standard_id  INTEGER NOT NULL REFERENCES test_standards(id),
        PRIMARY KEY (run_id, standard_id)
      ) STRICT, WITHOUT ROWID;

      -- One predictions file imported into a run; the newest is the run's current prediction set.
      CREATE TABLE run_imports (
        id            INTEGER PRIMARY KEY,
        run_id        INTEGER NOT NULL REFERENCES runs(id),
        source_name   TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        rows_total    INTEGER NOT NULL,
        rows_accepted INTEGER NOT NULL,
        refused       TEXT NOT NULL DEFAULT '[]',
        imported_by   INTEGER REFERENCES users(id),
        imported_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX run_imports_run ON run_imports(run_id, id);

      CREATE TABLE run_predictions (
        import_id   INTEGER NOT NULL REFERENCES run_imports(id),
        seq         INTEGER NOT NULL,
        image_id    INTEGER NOT NULL REFERENCES images(id),
        class_name  TEXT NOT NULL,
        score       REAL,
        x REAL, y REAL, w REAL, h REAL,
        PRIMARY KEY (import_id, seq)
      ) STRICT;

      -- Every computation of a run's metrics, never changed: the newest is current, older
      -- ones are the history shown with the reason they were replaced.
      CREATE TABLE run_snapshots (
        id          INTEGER PRIMARY KEY,
        run_id      INTEGER NOT NULL REFERENCES runs(id),
        seq         INTEGER NOT NULL,
        inputs      TEXT NOT NULL,
        hash        TEXT NOT NULL CHECK (length(hash) = 64),
        metrics     TEXT NOT NULL,
        reason      TEXT NOT NULL,
        created_by  INTEGER REFERENCES users(id),
        created_at  TEXT NOT NULL,
        UNIQUE (run_id, seq)
      ) STRICT;

      -- Classification outcome of each ground-truth image in the current snapshot.
      CREATE TABLE run_outcomes (
        run_id           INTEGER NOT NULL REFERENCES runs(id),
        image_id         INTEGER NOT NULL REFERENCES images(id),
        true_class       TEXT NOT NULL,
        predicted_class  TEXT,
        score            REAL,
        outcome          TEXT NOT NULL CHECK (outcome IN ('correct', 'wrong', 'missed')),
        PRIMARY KEY (run_id, image_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX run_outcomes_true ON run_outcomes(run_id, true_class);
      CREATE INDEX run_outcomes_pred ON run_outcomes(run_id, predicted_class);
      CREATE INDEX run_outcomes_image ON run_outcomes(image_id);

      -- Detection: one row per matched pair (tp), unmatched prediction (fp) or unmatched box (fn).
      CREATE TABLE run_box_outcomes (
        run_id      INTEGER NOT NULL REFERENCES runs(id),
        seq         INTEGER NOT NULL,
        image_id    INTEGER NOT NULL REFERENCES images(id),
        class_name  TEXT NOT NULL,
        outcome     TEXT NOT NULL CHECK (outcome IN ('tp', 'fp', 'fn')),
        iou         REAL,
        score       REAL,
        gt_seq      INTEGER,
        pred_seq    INTEGER,
        PRIMARY KEY (run_id, seq)
      ) STRICT;
      CREATE INDEX run_box_outcomes_class ON run_box_outcomes(run_id, class_name, outcome);
      CREATE INDEX run_box_outcomes_image ON run_box_outcomes(image_id);

      -- Quantified labels (DESIGN §2.6): a matrix version is never edited; a change is a new
      -- version. Links to standards are recorded with time, unlinking sets unlinked_at.
      CREATE TABLE quant_matrices (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL,
        version      INTEGER NOT NULL,
        matrix       TEXT NOT NULL,
        disabled_at  TEXT,
        created_by   INTEGER REFERENCES users(id),
        created_at   TEXT NOT NULL,
        UNIQUE (name, version)
      ) STRICT;
      CREATE TRIGGER quant_matrices_no_delete BEFORE DELETE ON quant_matrices
      BEGIN SELECT RAISE(ABORT, 'quantified labels are never deleted; disable them instead'); END;
      CREATE TRIGGER quant_matrices_only_disable BEFORE UPDATE ON quant_matrices
      WHEN OLD.disabled_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.version IS NOT OLD.version
        OR NEW.matrix IS NOT OLD.matrix OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'a quantified-label version is never edited; create a new version'); END;
      CREATE TABLE quant_standard_links (
        id           INTEGER PRIMARY KEY,
        standard_id  INTEGER NOT NULL REFERENCES test_standards(id),
        matrix_id    INTEGER NOT NULL REFERENCES quant_matrices(id),
        linked_at    TEXT NOT NULL,
        unlinked_at  TEXT
      ) STRICT;

      -- The local runner (issue 5 item 8): a command on this workstation, as an argv array run
      -- without a shell; {manifest} and {output} in it are replaced by file paths. The newest
      -- row of a model is its runner; a runner is never edited, only superseded or disabled.
      CREATE TABLE model_runners (
        id            INTEGER PRIMARY KEY,
        model_id      INTEGER NOT NULL REFERENCES models(id),
        argv          TEXT NOT NULL,
        timeout_s     INTEGER NOT NULL CHECK (timeout_s > 0),
        disabled_at   TEXT,
        created_by    INTEGER REFERENCES users(id),
        created_at    TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER model_runners_only_disable BEFORE UPDATE ON model_runners
      WHEN OLD.disabled_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.model_id IS NOT OLD.model_id OR NEW.argv IS NOT OLD.argv
        OR NEW.timeout_s IS NOT OLD.timeout_s OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'a runner is never edited; register a new one'); END;
      CREATE TRIGGER model_runners_no_delete BEFORE DELETE ON model_runners
      BEGIN SELECT RAISE(ABORT, 'runners are kept as history'); END;

      -- Per image value of a run under each matrix of its current snapshot.
      CREATE TABLE run_quant_values (
        run_id     INTEGER NOT NULL REFERENCES runs(id),
        matrix_id  INTEGER NOT NULL REFERENCES quant_matrices(id),
        image_id   INTEGER NOT NULL REFERENCES images(id),
        value      REAL NOT NULL,
        PRIMARY KEY (run_id, matrix_id, image_id)
      ) STRICT, WITHOUT ROWID;
    `);
    for (const table of ['gt_sets', 'gt_items', 'run_imports', 'run_predictions', 'run_snapshots', 'training_plans', 'plan_datasets', 'run_standards']) {
      db.exec(`
        CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
        BEGIN SELECT RAISE(ABORT, '${table.replace(/_/g, ' ')} are append-only'); END;
        CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
        BEGIN SELECT RAISE(ABORT, '${table.replace(/_/g, ' ')} are append-only'); END;
      `);
    }
    db.exec(`
      CREATE TRIGGER quant_standard_links_only_unlink BEFORE UPDATE ON quant_standard_links
      WHEN OLD.unlinked_at IS NOT NULL OR NEW.unlinked_at IS NULL OR NEW.standard_id IS NOT OLD.standard_id
        OR NEW.matrix_id IS NOT OLD.matrix_id OR NEW.linked_at IS NOT OLD.linked_at
      BEGIN SELECT RAISE(ABORT, 'a link is only ever ended'); END;
      CREATE TRIGGER quant_standard_links_no_delete BEFORE DELETE ON quant_standard_links
      BEGIN SELECT RAISE(ABORT, 'links are kept as history'); END;
    `);
  },
};
