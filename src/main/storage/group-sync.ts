import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { BLOBS_DIR } from './blob-layout';
import { fsyncPath, storageError } from './durable-fs';

/** How a group of blobs was made durable. */
export type GroupSyncMethod = 'syncfs' | 'fsync';

/**
 * Makes groups of blobs written with `BlobStore.putDeferred()` durable, one group at a time:
 * their data, their names and the folders that hold them. `sync()` resolves only when all of
 * that is on disk; the caller registers the group in the database after that, never before.
 *
 * Default: `syncfs(2)` of the store's filesystem (coreutils `sync -f ROOT`), which writes back
 * every dirty page and inode of that filesystem and commits its journal — far cheaper than an
 * fsync per file and per folder, and it reports write-back errors (Linux ≥ 5.8). Node has no
 * syncfs, and spawning a process per group costs tens of ms, so one small shell stays open for
 * the syncer's life and runs `sync -f` for each request line.
 * Fallback (no `sync -f`, not Linux, or forced): an fsync of every file, then of every folder on
 * the way up to the root, from the libuv thread pool.
 */
export class StoreSyncer {
  readonly root: string;
  private helper: SyncfsHelper | null = null;
  private method: GroupSyncMethod;

  constructor(storageRoot: string, options: { method?: GroupSyncMethod } = {}) {
    this.root = path.resolve(storageRoot);
    this.method = options.method ?? (process.platform === 'linux' && !this.root.includes('\n') ? 'syncfs' : 'fsync');
  }

  /** The method the next group will use (syncfs falls back to fsync for good if unavailable). */
  get currentMethod(): GroupSyncMethod {
    return this.method;
  }

  async sync(files: readonly string[]): Promise<GroupSyncMethod> {
    if (files.length === 0) return this.method;
    if (this.method === 'syncfs') {
      try {
        this.helper ??= new SyncfsHelper(this.root);
        await this.helper.syncfs();
        return 'syncfs';
      } catch (err) {
        if ((err as { kind?: string }).kind !== 'unavailable') throw storageError(err, 'Making stored objects durable', this.root);
        this.close();
        this.method = 'fsync';
      }
    }
    await fsyncEach(this.root, files);
    return 'fsync';
  }

  close(): void {
    this.helper?.close();
    this.helper = null;
  }
}

const SCRIPT = `while IFS= read -r dir; do
  if out=$(sync -f "$dir" 2>&1); then echo ok; else printf 'fail %s\\n' "$(printf '%s' "$out" | tr '\\n' ' ')"; fi
done`;

/** One `sh` that runs `sync -f ROOT` per line it reads and answers `ok` or `fail <message>`. */
class SyncfsHelper {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve(): void; reject(err: Error): void }[] = [];
  private buffered = '';
  private dead: Error | null = null;

  constructor(private readonly root: string) {
    this.child = spawn('/bin/sh', ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        const w = this.waiting.shift();
        if (!w) continue;
        if (line === 'ok') w.resolve();
        else w.reject(syncFailure(line.replace(/^fail /, '')));
      }
    });
    this.child.stdin.on('error', () => undefined); // reported through 'exit' / 'error'
    const die = (err: Error) => {
      this.dead ??= err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    this.child.on('error', (err) => die(Object.assign(new Error(`cannot run sh for sync -f: ${err.message}`), { kind: 'unavailable' })));
    this.child.on('exit', (code, signal) => die(Object.assign(new Error(`the sync helper exited (${signal ?? code})`), { kind: 'unavailable' })));
  }

  syncfs(): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${this.root}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
    this.child.unref();
  }
}

function syncFailure(message: string): Error {
  // A `sync` without -f (BusyBox, very old coreutils) or no `sync` at all: not an I/O error.
  if (/invalid option|unrecognized option|not found|No such file or directory$/i.test(message.trim()) && !/Input\/output/i.test(message)) {
    return Object.assign(new Error(`sync -f is not available: ${message}`), { kind: 'unavailable' });
  }
  const code = /Input\/output/i.test(message) ? 'EIO' : /No space/i.test(message) ? 'ENOSPC' : /Read-only/i.test(message) ? 'EROFS' : undefined;
  return Object.assign(new Error(message.trim() || 'sync -f failed'), code ? { code } : {});
}

/** fsync of every file, then of every folder from the files' folders up to the store root. */
async function fsyncEach(root: string, files: readonly string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const f of files) {
    for (let d = path.dirname(path.resolve(f)); d.startsWith(root) && d !== root; d = path.dirname(d)) {
      if (dirs.has(d)) break;
      dirs.add(d);
    }
  }
  dirs.add(path.join(root, BLOBS_DIR));
  dirs.add(root);
  try {
    await inParallel([...new Set(files)], fsyncPath);
    await inParallel([...dirs], fsyncPath);
  } catch (err) {
    throw storageError(err, 'Making stored objects durable', root);
  }
}

async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<void>, width = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}
