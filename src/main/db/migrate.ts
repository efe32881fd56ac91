import { AppError } from '../../shared/errors';
import type { Migration, WritableDB } from './types';

/**
 * Applies pending migrations, each in its own IMMEDIATE transaction together with the bump of
 * `PRAGMA user_version`, so a crash leaves the database at a whole version. A database newer
 * than this app is refused rather than guessed at (HOUSE-STYLE 12).
 */
export function migrate(db: WritableDB, migrations: readonly Migration[], target = latestVersion(migrations)): number {
  checkOrder(migrations);
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = latestVersion(migrations);
  if (current > newest) {
    throw new AppError(
      'CONFLICT',
      `The database is at schema version ${current}, newer than this MIDC (${newest}). Use a newer MIDC; nothing was changed.`,
      { databaseVersion: current, appVersion: newest },
    );
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      // user_version cannot be bound as a parameter; the value is an integer we control.
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}
