import fs from 'node:fs';
import path from 'node:path';
import { BLOBS_DIR, BLOB_TEMP_PREFIX, SHA256_HEX, SHARDS } from './blob-layout';
import { fsyncDir, hashFileSync, storageError, writeFileDurable } from './durable-fs';

/** Written once a storage root has its shard folders and no layout-1 object left. */
export const LAYOUT_MARKER = 'blob-layout-2';

const SUBSHARD = /^[0-9a-f]{2}$/;

export interface LayoutUpgrade {
  /** Objects moved from `blobs/ab/cd/` to `blobs/ab/`. */
  readonly moved: number;
  /** Files left in a layout-1 folder because they are not objects (reported, not deleted). */
  readonly strays: string[];
}

/**
 * Makes a storage root ready for layout 2 (blob-layout.ts): creates the 256 shard folders and
 * moves any layout-1 object `blobs/ab/cd/<sha>` up to `blobs/ab/<sha>`, then writes the marker.
 * Cheap once done (one `stat` of the marker). Crash-safe: each move is one rename (the object is
 * under exactly one of its two names at every moment), the folders are fsynced before the
 * marker is written, and a run cut short is simply run again at the next open.
 */
export function prepareBlobStorage(storageRoot: string): LayoutUpgrade {
  const marker = path.join(storageRoot, LAYOUT_MARKER);
  if (fs.existsSync(marker)) return { moved: 0, strays: [] };
  const base = path.join(storageRoot, BLOBS_DIR);
  try {
    fs.mkdirSync(base, { recursive: true });
    let moved = 0;
    const strays: string[] = [];
    for (const shard of SHARDS) {
      const dir = path.join(base, shard);
      fs.mkdirSync(dir, { recursive: true });
      for (const sub of fs.readdirSync(dir, { withFileTypes: true })) {
        if (!sub.isDirectory() || !SUBSHARD.test(sub.name)) continue;
        const result = moveUp(path.join(dir, sub.name), dir, shard);
        moved += result.moved;
        strays.push(...result.strays);
      }
      fsyncDir(dir);
    }
    fsyncDir(base);
    writeFileDurable(marker, Buffer.from('MIDC blob store layout 2: blobs/<first two hex digits>/<sha256>\n'));
    fsyncDir(storageRoot);
    return { moved, strays };
  } catch (err) {
    throw storageError(err, 'Preparing the blob store', storageRoot);
  }
}

/** Moves the objects of one layout-1 folder into its shard and removes the folder once empty. */
function moveUp(legacyDir: string, shardDir: string, shard: string): { moved: number; strays: string[] } {
  let moved = 0;
  const strays: string[] = [];
  for (const entry of fs.readdirSync(legacyDir, { withFileTypes: true })) {
    const from = path.join(legacyDir, entry.name);
    // Temp files of interrupted writes are left to the startup clean-up (it spares young ones).
    if (entry.isFile() && entry.name.startsWith(BLOB_TEMP_PREFIX)) continue;
    if (!entry.isFile() || !SHA256_HEX.test(entry.name) || !entry.name.startsWith(shard)) {
      strays.push(from);
      continue;
    }
    const to = path.join(shardDir, entry.name);
    if (fs.existsSync(to)) {
      // Stored again under the new name meanwhile: keep whichever copy is intact.
      if (hashFileSync(to) !== entry.name && hashFileSync(from) === entry.name) fs.renameSync(from, to);
      else fs.unlinkSync(from);
    } else {
      fs.renameSync(from, to);
    }
    moved++;
  }
  fsyncDir(legacyDir);
  try {
    fs.rmdirSync(legacyDir);
  } catch (err) {
    // Strays or temps left in it: the folder stays (walks and scrubs look at any depth).
    if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return { moved, strays };
}
