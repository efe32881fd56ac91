import fs from 'node:fs';
import { prepareBlobStorage } from '../storage/blob-layout-upgrade';
import type { Workspace } from './workspace';

/**
 * Creates the workspace's folders and readies its blob store (shard folders, layout upgrade).
 * Apart from workspace.ts, so that the CLI's dispatcher, which only needs to know where the
 * default workspace is, does not load the storage code.
 */
export function ensureWorkspaceDirs(ws: Workspace): void {
  for (const dir of [ws.root, ws.storageDir, ws.logsDir]) fs.mkdirSync(dir, { recursive: true });
  try {
    const upgrade = prepareBlobStorage(ws.storageDir);
    if (upgrade.strays.length > 0) console.error(`[storage] files that are not objects were left in old-layout folders: ${upgrade.strays.join(', ')}`);
  } catch (err) {
    // A read-only or failing storage root: the workspace still opens and its health says why.
    console.error(`[storage] ${(err as Error).message}`);
  }
}
