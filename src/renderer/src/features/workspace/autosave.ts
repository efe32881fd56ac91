import type { ErrorData, Result } from '../../../../shared/errors';

/**
 * Autosave of one document per key (an image), with revisions (issue 4 item 5):
 * - each change schedules a save after `delayMs` (debounced; ≤ 1 s, so a change is stored
 *   within 2 s even when a save is already running);
 * - at most one save per key runs at a time; changes made meanwhile are saved right after;
 * - every save sends the next revision; a CONFLICT that names the stored `latestRevision` is
 *   retried once above it (another window of the same person saved meanwhile);
 * - `flush()` saves everything pending now (image switch, complete, unmount).
 * Pure logic with injected timers and save function, so it is unit-tested.
 */
export type SaveState = 'saved' | 'pending' | 'saving' | 'error';

export interface SaverOptions<Doc> {
  readonly delayMs: number;
  /** After a failed save, try again after this long (0: only on the next change or flush). */
  readonly retryMs?: number;
  save(key: number, revision: number, doc: Doc): Promise<Result<unknown>>;
  onState(state: SaveState, error: ErrorData | null): void;
  setTimer?(fn: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

interface Entry<Doc> {
  revision: number;
  doc: Doc | null;
  timer: unknown;
  running: Promise<void> | null;
}

export class Saver<Doc> {
  private readonly entries = new Map<number, Entry<Doc>>();
  private lastError: ErrorData | null = null;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: SaverOptions<Doc>) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** The newest stored revision of a key (from the server when the image was opened). */
  setRevision(key: number, revision: number): void {
    this.entry(key).revision = Math.max(this.entry(key).revision, revision);
  }

  revisionOf(key: number): number {
    return this.entries.get(key)?.revision ?? 0;
  }

  /** A new state of the document: saved after the delay. */
  change(key: number, doc: Doc): void {
    const e = this.entry(key);
    e.doc = doc;
    if (e.timer !== null) this.clearTimer(e.timer);
    e.timer = this.setTimer(() => {
      e.timer = null;
      void this.run(key);
    }, this.options.delayMs);
    this.report();
  }

  /** Saves every pending document now and waits for all saves to end. */
  async flush(): Promise<void> {
    const runs: Promise<void>[] = [];
    for (const [key, e] of this.entries) {
      if (e.timer !== null) {
        this.clearTimer(e.timer);
        e.timer = null;
      }
      runs.push(this.run(key));
    }
    await Promise.all(runs);
  }

  get state(): SaveState {
    let saving = false;
    let pending = false;
    for (const e of this.entries.values()) {
      if (e.running) saving = true;
      if (e.doc !== null) pending = true;
    }
    if (saving) return 'saving';
    if (this.lastError) return 'error';
    return pending ? 'pending' : 'saved';
  }

  /** Whether nothing waits to be saved. */
  get idle(): boolean {
    return this.state === 'saved';
  }

  private entry(key: number): Entry<Doc> {
    let e = this.entries.get(key);
    if (!e) {
      e = { revision: 0, doc: null, timer: null, running: null };
      this.entries.set(key, e);
    }
    return e;
  }

  private report(): void {
    this.options.onState(this.state, this.lastError);
  }

  private async run(key: number): Promise<void> {
    const e = this.entry(key);
    if (e.running) {
      await e.running;
      // Whatever changed while that save ran is saved now.
      if (e.doc !== null && e.timer === null) return this.run(key);
      return;
    }
    const doc = e.doc;
    if (doc === null) return;
    e.doc = null;
    e.running = (async () => {
      let result = await this.options.save(key, e.revision + 1, doc);
      if (!result.ok && result.error.code === 'CONFLICT') {
        const latest = Number((result.error.details as { latestRevision?: unknown } | undefined)?.latestRevision);
        if (Number.isInteger(latest) && latest >= e.revision) {
          e.revision = latest;
          result = await this.options.save(key, e.revision + 1, doc);
        }
      }
      if (result.ok) {
        e.revision += 1;
        this.lastError = null;
      } else {
        this.lastError = result.error;
        // Keep the unsaved state (unless a newer one arrived) and try again a little later:
        // the host may be back by then; a change or a flush retries sooner.
        if (e.doc === null) e.doc = doc;
        if (e.timer === null && this.options.retryMs) {
          e.timer = this.setTimer(() => {
            e.timer = null;
            void this.run(key);
          }, this.options.retryMs);
        }
      }
    })();
    this.report();
    try {
      await e.running;
    } finally {
      e.running = null;
      this.report();
    }
    if (e.doc !== null && e.timer === null && !this.lastError) await this.run(key);
  }
}
