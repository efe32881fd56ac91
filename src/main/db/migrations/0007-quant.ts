import type { Migration } from '../types';

/**
 * Quantified labels as a managed registry (issue 7). 0006 stored matrix versions that could
 * only be disabled; the product rule is "editable until first use, then versioned":
 *
 * - `used_at` is set by the database itself when a snapshot that scored a run with the version
 *   is appended (trigger on run_snapshots), so "first use" cannot be forgotten by a code path.
 * - Name, matrix, description and classes change in place only while `used_at` and
 *   `disabled_at` are NULL; once used, a change is a new row (version + 1) of the same name.
 * - `run_quant_matrices` records a run re-scored with a matrix that none of its standards links
 *   (quant:rescore). Like links, such an attachment is only ever ended, never deleted.
 */
export const migration0007Quant: Migration = {
  version: 7,
  name: 'quant',
  up(db) {
    db.exec(`
      -- Replaced below by a trigger that allows in-place edits until first use.
      DROP TRIGGER quant_matrices_only_disable;
      ALTER TABLE quant_matrices ADD COLUMN description TEXT NOT NULL DEFAULT '';
      ALTER TABLE quant_matrices ADD COLUMN classes TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE quant_matrices ADD COLUMN used_at TEXT;
      ALTER TABLE quant_matrices ADD COLUMN updated_at TEXT;

      UPDATE quant_matrices SET
        classes = coalesce((SELECT json_group_array(key) FROM json_each(quant_matrices.matrix, '$.values')), '[]'),
        used_at = (SELECT min(s.created_at) FROM run_snapshots s, json_each(s.metrics, '$.metrics.quant') q
                   WHERE json_valid(s.metrics) AND json_extract(q.value, '$.matrixId') = quant_matrices.id)
      WHERE json_valid(matrix);

      CREATE TRIGGER quant_matrices_edit_until_used BEFORE UPDATE ON quant_matrices
      WHEN NEW.id IS NOT OLD.id OR NEW.version IS NOT OLD.version OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
        OR (OLD.used_at IS NOT NULL AND NEW.used_at IS NOT OLD.used_at)
        OR (OLD.disabled_at IS NOT NULL AND NEW.disabled_at IS NOT OLD.disabled_at)
        OR ((OLD.used_at IS NOT NULL OR OLD.disabled_at IS NOT NULL)
            AND (NEW.name IS NOT OLD.name OR NEW.matrix IS NOT OLD.matrix OR NEW.description IS NOT OLD.description
                 OR NEW.classes IS NOT OLD.classes OR NEW.updated_at IS NOT OLD.updated_at))
      BEGIN SELECT RAISE(ABORT, 'a used or disabled quantified-label version is never edited; create a new version'); END;

      -- First use: a snapshot that scored a run with the version.
      CREATE TRIGGER run_snapshots_mark_quant_used AFTER INSERT ON run_snapshots
      WHEN json_valid(NEW.metrics)
      BEGIN
        UPDATE quant_matrices SET used_at = NEW.created_at
        WHERE used_at IS NULL AND id IN (SELECT json_extract(q.value, '$.matrixId') FROM json_each(NEW.metrics, '$.metrics.quant') q);
      END;

      CREATE TABLE run_quant_matrices (
        id         INTEGER PRIMARY KEY,
        run_id     INTEGER NOT NULL REFERENCES runs(id),
        matrix_id  INTEGER NOT NULL REFERENCES quant_matrices(id),
        added_by   INTEGER REFERENCES users(id),
        added_at   TEXT NOT NULL,
        ended_at   TEXT
      ) STRICT;
      CREATE INDEX run_quant_matrices_run ON run_quant_matrices(run_id, matrix_id);
      CREATE INDEX quant_standard_links_matrix ON quant_standard_links(matrix_id, standard_id);
      CREATE TRIGGER run_quant_matrices_only_end BEFORE UPDATE ON run_quant_matrices
      WHEN OLD.ended_at IS NOT NULL OR NEW.ended_at IS NULL OR NEW.run_id IS NOT OLD.run_id
        OR NEW.matrix_id IS NOT OLD.matrix_id OR NEW.added_at IS NOT OLD.added_at OR NEW.added_by IS NOT OLD.added_by
      BEGIN SELECT RAISE(ABORT, 'a re-scoring is only ever ended'); END;
      CREATE TRIGGER run_quant_matrices_no_delete BEFORE DELETE ON run_quant_matrices
      BEGIN SELECT RAISE(ABORT, 're-scorings are kept as history'); END;
    `);
  },
};
