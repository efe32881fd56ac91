import fs from 'node:fs';
import path from 'node:path';
import { BACKUP_NAME, DB_FILE, POOL_DIR, type BackupManifest } from './manifest';

/**
 * What a new backup may do with one workspace blob, given the root's pool:
 * - `reuse`: reference the pool blob without copying it;
 * - `absent`: copy it to its pool name; `repair` when a published manifest references that
 *   name (the pool lost it), so the copy must be complete and on disk before it gets the name;
 * - `untrusted`: a pool file is there that no manifest vouches for: replace it by a rename.
 */
export type PoolState = { kind: 'reuse'; size: number } | { kind: 'absent'; repair: boolean } | { kind: 'untrusted' };

/** The manifest of the backup at `backupPath`, or null when it is unreadable or not its own. */
export type ManifestReader = (backupPath: string) => BackupManifest | null;

/** The pool blobs (hash → size) a manifest references: none in format 1 (blobs in its folder). */
export function manifestPoolRefs(manifest: BackupManifest): Map<string, number> {
  const refs = new Map<string, number>();
  if (manifest.formatVersion === 1) return refs;
  for (const f of manifest.files) if (f.path !== DB_FILE) refs.set(f.sha256, f.size);
  return refs;
}

/**
 * The blob pool of a backup root as a new backup sees it (format 2, `<root>/blobs/<sha[0:2]>/<sha>`).
 *
 * A pool blob that the newest readable manifest references is reused when its name is in the
 * pool: it was hashed when copied and synced before that manifest was published, and a run
 * only ever gives a pool name to a complete copy of a blob some manifest references (a repair
 * is fsynced before its rename). Presence comes from one directory listing per pool folder,
 * not a stat per blob: with a thousand blobs the stats were a fifth of an unchanged
 * incremental backup (bench "backup"). Damage done to a published pool blob afterwards (a
 * truncated or flipped file) is what verify finds: the backup run does not re-read what it
 * trusts. Verify moves such a blob aside (`midc backup verify --repair`, and every verify the
 * app runs), and the next backup then copies it again as a repair.
 *
 * A pool file that the newest manifest does not reference (a killed run's copy, maybe torn)
 * is reused only when an older readable manifest references it with the size it has; else it
 * is untrusted and rewritten. The older manifests are read only when such a file exists.
 */
export class PoolIndex {
  private readonly names: string[];
  private readonly poolDir: string;
  /** No pool yet (a first backup): every blob is absent. */
  private readonly empty: boolean;
  private newestManifest: BackupManifest | null | undefined;
  private newest: Map<string, number> | null = null;
  private all: Map<string, number> | null = null;
  /** Names in each pool folder, listed on first use (null: no such folder). */
  private readonly listed = new Map<string, Set<string> | null>();
  /** Every pool folder is in `listed`: a missing one is no folder. */
  private listedAll = false;

  constructor(
    private readonly dest: string,
    private readonly read: ManifestReader,
  ) {
    this.poolDir = path.join(dest, POOL_DIR);
    this.empty = !fs.existsSync(this.poolDir);
    // Names sort by creation time (midc-backup-<UTC>-<random>): newest first.
    this.names = fs
      .readdirSync(dest)
      .filter((n) => BACKUP_NAME.test(n))
      .sort()
      .reverse();
  }

  /** The newest readable manifest of the root (null: none), read once. */
  newestReadable(): BackupManifest | null {
    if (this.newestManifest === undefined) {
      this.newestManifest = null;
      for (const name of this.names) {
        const manifest = this.read(path.join(this.dest, name));
        if (manifest) {
          this.newestManifest = manifest;
          break;
        }
      }
    }
    return this.newestManifest;
  }

  state(sha256: string): PoolState {
    if (this.empty) return { kind: 'absent', repair: false };
    this.newest ??= this.loadNewest();
    const size = this.newest.get(sha256);
    if (!this.inPool(sha256)) return { kind: 'absent', repair: size !== undefined };
    if (size !== undefined) return { kind: 'reuse', size };
    const present = this.poolSize(sha256);
    if (present === null) return { kind: 'absent', repair: false };
    this.all ??= this.loadAll();
    return this.all.get(sha256) === present ? { kind: 'reuse', size: present } : { kind: 'untrusted' };
  }

  /**
   * Lists every pool folder on libuv's thread pool (so the caller's work goes on meanwhile);
   * `state` lists what it needs itself when called before this is done.
   */
  list(): Promise<void> {
    if (this.empty) return Promise.resolve();
    const prefixes = fs.readdirSync(this.poolDir);
    return new Promise((resolve, reject) => {
      let pending = prefixes.length;
      if (!pending) resolve();
      for (const prefix of prefixes) {
        fs.readdir(`${this.poolDir}${path.sep}${prefix}`, (err, names) => {
          if (err && err.code !== 'ENOTDIR') reject(err);
          else this.listed.set(prefix, err ? null : new Set(names));
          if (--pending === 0) {
            this.listedAll = true;
            resolve();
          }
        });
      }
    });
  }

  private inPool(sha256: string): boolean {
    const prefix = sha256.slice(0, 2);
    let names = this.listed.get(prefix);
    if (names === undefined && this.listedAll) return false;
    if (names === undefined) {
      try {
        names = new Set(fs.readdirSync(`${this.poolDir}${path.sep}${prefix}`));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        names = null;
      }
      this.listed.set(prefix, names);
    }
    return names?.has(sha256) ?? false;
  }

  private poolSize(sha256: string): number | null {
    try {
      // Same path as poolPath(), joined by hand: path.join's normalisation cost more than the stat.
      const st = fs.statSync(`${this.poolDir}${path.sep}${sha256.slice(0, 2)}${path.sep}${sha256}`, { throwIfNoEntry: false });
      return st?.isFile() ? st.size : null;
    } catch {
      return null;
    }
  }

  private loadNewest(): Map<string, number> {
    const manifest = this.newestReadable();
    return manifest ? manifestPoolRefs(manifest) : new Map();
  }

  private loadAll(): Map<string, number> {
    const all = new Map<string, number>();
    for (const name of this.names) {
      const manifest = this.read(path.join(this.dest, name));
      if (manifest) for (const [sha, size] of manifestPoolRefs(manifest)) all.set(sha, size);
    }
    return all;
  }
}
