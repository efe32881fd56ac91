import type { Migration } from '../types';

/**
 * The append-only registries of DESIGN §4.2, enforced by triggers so that even raw SQL cannot
 * break them: models (name and summary editable, never deleted), algorithm parameters (options
 * only added or disabled, numeric ranges only widened), test standards (create and disable
 * only), and parameter presets ("recipes": a named set of values, disabled, never edited).
 */
export const migration0004Registries: Migration = {
  version: 4,
  name: 'registries',
  up(db) {
    db.exec(`
      CREATE TABLE models (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        summary     TEXT NOT NULL DEFAULT '',
        task        TEXT NOT NULL CHECK (task IN ('classification', 'detection')),
        created_by  INTEGER REFERENCES users(id),
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER models_no_delete BEFORE DELETE ON models
      BEGIN SELECT RAISE(ABORT, 'models are never deleted'); END;
      CREATE TRIGGER models_only_name_summary BEFORE UPDATE ON models
      WHEN NEW.id IS NOT OLD.id OR NEW.task IS NOT OLD.task OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'only the name and summary of a model can change'); END;

      CREATE TABLE algorithm_parameters (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        type        TEXT NOT NULL CHECK (type IN ('text', 'number', 'option')),
        unit        TEXT NOT NULL DEFAULT '',
        min_value   REAL,
        max_value   REAL,
        disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_by  INTEGER REFERENCES users(id),
        created_at  TEXT NOT NULL,
        CHECK (type = 'number' OR (min_value IS NULL AND max_value IS NULL)),
        CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value)
      ) STRICT;
      CREATE TRIGGER algorithm_parameters_no_delete BEFORE DELETE ON algorithm_parameters
      BEGIN SELECT RAISE(ABORT, 'parameters are never deleted; disable them instead'); END;
      CREATE TRIGGER algorithm_parameters_fixed BEFORE UPDATE ON algorithm_parameters
      WHEN NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.type IS NOT OLD.type OR NEW.unit IS NOT OLD.unit
        OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'a parameter can only be disabled, enabled or have its range widened'); END;
      CREATE TRIGGER algorithm_parameters_widen_only BEFORE UPDATE ON algorithm_parameters
      WHEN (OLD.min_value IS NULL AND NEW.min_value IS NOT NULL) OR (OLD.max_value IS NULL AND NEW.max_value IS NOT NULL)
        OR NEW.min_value > OLD.min_value OR NEW.max_value < OLD.max_value
      BEGIN SELECT RAISE(ABORT, 'a numeric range can only be widened'); END;

      CREATE TABLE parameter_options (
        id            INTEGER PRIMARY KEY,
        parameter_id  INTEGER NOT NULL REFERENCES algorithm_parameters(id),
        value         TEXT NOT NULL,
        disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at    TEXT NOT NULL,
        UNIQUE (parameter_id, value)
      ) STRICT;
      CREATE TRIGGER parameter_options_no_delete BEFORE DELETE ON parameter_options
      BEGIN SELECT RAISE(ABORT, 'options are never deleted; disable them instead'); END;
      CREATE TRIGGER parameter_options_only_disable BEFORE UPDATE ON parameter_options
      WHEN NEW.id IS NOT OLD.id OR NEW.parameter_id IS NOT OLD.parameter_id OR NEW.value IS NOT OLD.value OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'options are never edited; add a new one and disable the old one'); END;
      CREATE TRIGGER parameter_options_only_for_option_type BEFORE INSERT ON parameter_options
      WHEN (SELECT type FROM algorithm_parameters WHERE id = NEW.parameter_id) IS NOT 'option'
      BEGIN SELECT RAISE(ABORT, 'options belong to parameters of type option'); END;

      CREATE TABLE test_standards (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        metric      TEXT NOT NULL CHECK (metric IN ('accuracy', 'precision', 'recall', 'specificity', 'f1', 'auc', 'ap', 'quant')),
        class_name  TEXT,
        comparison  TEXT NOT NULL CHECK (comparison IN ('>=', '<=')),
        threshold   REAL NOT NULL,
        iou         REAL CHECK (iou IS NULL OR (iou > 0 AND iou <= 1)),
        disabled_at TEXT,
        created_by  INTEGER REFERENCES users(id),
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER test_standards_no_delete BEFORE DELETE ON test_standards
      BEGIN SELECT RAISE(ABORT, 'test standards are never deleted; disable them instead'); END;
      CREATE TRIGGER test_standards_only_disable BEFORE UPDATE ON test_standards
      WHEN OLD.disabled_at IS NOT NULL OR NEW.disabled_at IS NULL
        OR NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.metric IS NOT OLD.metric OR NEW.class_name IS NOT OLD.class_name
        OR NEW.comparison IS NOT OLD.comparison OR NEW.threshold IS NOT OLD.threshold OR NEW.iou IS NOT OLD.iou
        OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'test standards can only be created and disabled'); END;

      CREATE TABLE parameter_presets (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        model_id    INTEGER REFERENCES models(id),
        "values"    TEXT NOT NULL,
        disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_by  INTEGER REFERENCES users(id),
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER parameter_presets_no_delete BEFORE DELETE ON parameter_presets
      BEGIN SELECT RAISE(ABORT, 'presets are never deleted; disable them instead'); END;
      CREATE TRIGGER parameter_presets_only_disable BEFORE UPDATE ON parameter_presets
      WHEN NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.model_id IS NOT OLD.model_id OR NEW."values" IS NOT OLD."values"
        OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'presets are never edited; create a new one'); END;
    `);
  },
};
