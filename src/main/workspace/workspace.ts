import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A workspace is one folder holding everything of one MIDC site: the database, the storage
 * root(s), quarantine, logs. Backups go elsewhere (a backup root on another volume).
 */
export interface Workspace {
  readonly root: string;
  readonly dbFile: string;
  readonly storageDir: string;
  readonly logsDir: string;
}

export const APP_NAME = 'MIDC';

/**
 * Where data lives by default: Electron's userData folder for the app name (so the CLI and
 * both hosts agree without importing electron), plus `workspace`.
 */
export function defaultWorkspaceDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.MIDC_WORKSPACE) return path.resolve(env.MIDC_WORKSPACE);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME, 'workspace');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME, 'workspace');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME, 'workspace');
}

export function workspaceLayout(dir: string): Workspace {
  const root = path.resolve(dir);
  return {
    root,
    dbFile: path.join(root, 'midc.sqlite'),
    storageDir: path.join(root, 'storage'),
    logsDir: path.join(root, 'logs'),
  };
}


export function workspaceExists(ws: Workspace): boolean {
  return fs.existsSync(ws.dbFile);
}
