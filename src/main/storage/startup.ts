import type { Workspace } from '../workspace/workspace';
import { BlobStore } from './blob-store';
import { checkRoot, type CheckRootOptions, type RootHealth } from './roots';

export interface StorageStartupReport {
  /** Health of the workspace's storage root; `error` means nothing may be written there. */
  readonly storage: RootHealth;
  /** Temp files of interrupted blob writes that were removed. */
  readonly removedTemps: string[];
}

/**
 * The storage part of startup (DESIGN §5, RELIABILITY §3): check the storage root's health
 * and remove the `.tmp-*` files that interrupted writes left behind. Does not throw for an
 * unhealthy root: the host decides whether to start read-only and shows the problems.
 */
export function storageStartup(workspace: Workspace, options: CheckRootOptions & { tempMinAgeMs?: number } = {}): StorageStartupReport {
  const storage = checkRoot(workspace.storageDir, options);
  const removedTemps =
    storage.present && storage.writable
      ? new BlobStore(workspace.storageDir).cleanupTemps(options.tempMinAgeMs === undefined ? {} : { minAgeMs: options.tempMinAgeMs }).removed
      : [];
  return { storage, removedTemps };
}
