import fs from 'node:fs';
import path from 'node:path';
import { BACKUP_NAME, POOL_DIR } from './manifest';

/**
 * What a new backup may do with one workspace blob, given the root's pool:
 * - `reuse`: reference the pool blob without copying it;
 * - `absent`: copy it to its pool name; `repair` when a published manifest references that
 *   name (the pool lost it), so the copy must be complete and on disk before it gets the name;
 * - `untrusted`: a pool file is there that no manifest vouches for: replace it by a rename.
 */
export type PoolState = { kind: 'reuse'; size: number } | { kind: 'absent'; repair: boolean } | { kind: 'untrusted' };

/** The pool blobs (hash → size) a backup references, or null when its manifest is unreadable. */
export type PoolRefs = (backupPath: string) => Map<string, number> | null;

/**
 * The blob pool of a backup root as a new backup sees it (format 2, `<root>/blobs/<sha[0:2]>/<sha>`).
 *
 * A pool blob that the newest readable manifest references is reused when its name is in the
 * pool: it was hashed when copied and synced before that manifest was published, and a run
 * only ever gives a pool name to a complete copy of a blob some manifest references (a repair
 * is fsynced before its rename). Presence comes from one directory listing per pool folder,
 * not a stat per blob: with a thousand blobs the stats were a fifth of an unchanged
 * incremental backup (bench "backup"). Damage done to a published pool blob afterwards (a
 * truncated or flipped file) is what `midc backup verify` finds; the backup run does not
 * re-read what it trusts.
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
  private newest: Map<string, number> | null = null;
  private all: Map<string, number> | null = null;
  /** Names in each pool folder, listed on first use (null: no such folder). */
  private readonly listed = new Map<string, Set<string> | null>();

  constructor(
    private readonly dest: string,
    private readonly refs: PoolRefs,
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

  private inPool(sha256: string): boolean {
    const prefix = sha256.slice(0, 2);
    let names = this.listed.get(prefix);
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
    for (const name of this.names) {
      const refs = this.refs(path.join(this.dest, name));
      if (refs) return refs;
    }
    return new Map();
  }

  private loadAll(): Map<string, number> {
    const all = new Map<string, number>();
    for (const name of this.names) for (const [sha, size] of this.refs(path.join(this.dest, name)) ?? []) all.set(sha, size);
    return all;
  }
}
