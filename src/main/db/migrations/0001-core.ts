import type { Migration } from '../types';

/**
 * Accounts, settings and the audit trail: the tables every later module writes beside.
 * Released: never edit; add a new migration instead.
 */
export const migration0001Core: Migration = {
  version: 1,
  name: 'core',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id              INTEGER PRIMARY KEY,
        username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name    TEXT NOT NULL,
        password_hash   TEXT NOT NULL,
        disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        failed_logins   INTEGER NOT NULL DEFAULT 0,
        locked_until    TEXT,
        created_at      TEXT NOT NULL,
        last_login_at   TEXT
      ) STRICT;

      -- Users are disabled, never deleted: their ids stay on audit entries and annotations.
      CREATE TRIGGER users_no_delete BEFORE DELETE ON users
      BEGIN SELECT RAISE(ABORT, 'users are never deleted; disable them instead'); END;

      CREATE TABLE user_roles (
        user_id INTEGER NOT NULL REFERENCES users(id),
        role    TEXT NOT NULL CHECK (role IN ('admin','ops','labeling_admin','annotator','expert','algo_admin','algo_engineer','quant_user')),
        PRIMARY KEY (user_id, role)
      ) STRICT;

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- Append-only, hash-chained audit trail (DESIGN §4.4, RELIABILITY §4.3).
      -- AUTOINCREMENT keeps sqlite_sequence above the highest id ever used, so removing the
      -- newest rows (which a chain alone cannot see) shows up as a gap at the head.
      CREATE TABLE audit_log (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        ts           TEXT NOT NULL,
        actor_id     INTEGER,
        actor_name   TEXT,
        action       TEXT NOT NULL,
        object_type  TEXT,
        object_id    TEXT,
        outcome      INTEGER NOT NULL CHECK (outcome IN (0, 4, 8, 12)),
        workstation  TEXT NOT NULL,
        details      TEXT NOT NULL,
        prev_hash    TEXT NOT NULL,
        hash         TEXT NOT NULL UNIQUE
      );
      CREATE INDEX audit_log_actor ON audit_log(actor_id, id);
      CREATE INDEX audit_log_action ON audit_log(action, id);
      CREATE INDEX audit_log_ts ON audit_log(ts);

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    `);
  },
};
