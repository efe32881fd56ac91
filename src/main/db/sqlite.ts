import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * The one place that constructs better-sqlite3 connections (a lint rule keeps it so).
 *
 * The build bundles better-sqlite3's JavaScript into our chunks (electron.vite.config.ts):
 * loaded as a dozen separate files it cost ~5 ms of every `midc` command and of every backup
 * worker (bench "backup"). Bundled, its own lookup of the native addon (the `bindings`
 * package, which searches from the calling file) would look beside our chunks, so the addon
 * is named here: the package's build/Release/better_sqlite3.node, found from the installed
 * package (in the packaged app, inside app.asar, which Electron redirects to
 * app.asar.unpacked for a native module, electron-builder.config.cjs `asarUnpack`). Where it
 * is not there (an unusual install), better-sqlite3 searches as it does by default.
 */
export type SqliteOptions = Omit<Database.Options, 'nativeBinding'>;

export function openSqlite(file: string, options: SqliteOptions = {}): Database.Database {
  const nativeBinding = addonPath();
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}

export const SqliteError = Database.SqliteError;

let addon: string | null | undefined;

function addonPath(): string | null {
  if (addon === undefined) {
    try {
      const pkg = createRequire(__filename).resolve('better-sqlite3/package.json');
      const file = path.join(path.dirname(pkg), 'build', 'Release', 'better_sqlite3.node');
      addon = fs.existsSync(file) ? file : null;
    } catch {
      addon = null;
    }
  }
  return addon;
}
