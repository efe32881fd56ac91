/**
 * Group commit: items pushed while a commit is running wait and go together in the next one,
 * so one durability step (a filesystem sync, a database transaction) serves many files. The
 * group grows by itself when committing is the bottleneck and stays small when it is not.
 */
export class GroupCommitter<T> {
  private group: T[] = [];
  private running: Promise<void> | null = null;
  private failed: { error: unknown } | null = null;

  constructor(
    private readonly commit: (items: T[]) => Promise<void>,
    private readonly maxGroup = 512,
  ) {}

  push(item: T): void {
    this.group.push(item);
    this.kick();
  }

  /** Waits until every pushed item is committed; rethrows the first commit failure. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.failed) throw this.failed.error;
      if (!this.running && this.group.length === 0) return;
      this.kick();
      await this.running;
    }
  }

  private kick(): void {
    if (this.running || this.failed || this.group.length === 0) return;
    const items = this.group.splice(0, this.maxGroup);
    this.running = this.commit(items)
      .catch((error: unknown) => {
        this.failed ??= { error };
      })
      .finally(() => {
        this.running = null;
        this.kick();
      });
  }
}

/**
 * Runs `task(0..count-1)` with at most `width` in flight, in index order of start; stops
 * starting new ones once `stop()` is true. Resolves with how many were started.
 */
export async function pipelined(count: number, width: number, task: (index: number) => Promise<void>, stop: () => boolean): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(width, count)) }, async () => {
      while (next < count && !stop()) await task(next++);
    }),
  );
  return next;
}
