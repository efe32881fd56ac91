import { describe, expect, it } from 'vitest';
import { prefetchOrder, StackPrefetcher } from './prefetch';
import { PREFETCH_IDLE_MARK } from './render-marks';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `midc:${i}`);
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('stack prefetch', () => {
  it('orders the images after the shown one nearest first, then a few before it, within the stack', () => {
    expect(prefetchOrder(ids(10), 3, 4, 2)).toEqual(['midc:4', 'midc:5', 'midc:6', 'midc:7', 'midc:2', 'midc:1']);
    expect(prefetchOrder(ids(5), 4, 4, 2)).toEqual(['midc:3', 'midc:2']);
    expect(prefetchOrder(ids(1), 0)).toEqual([]);
  });

  it('loads at most two at a time, skips cached images, and says when it is idle', async () => {
    const cached = new Set(['midc:2']);
    const pending = new Map<string, () => void>();
    let most = 0;
    const p = new StackPrefetcher(
      (id) =>
        new Promise<void>((resolve) => {
          pending.set(id, () => {
            pending.delete(id);
            cached.add(id);
            resolve();
          });
          most = Math.max(most, pending.size);
        }),
      (id) => cached.has(id),
    );
    performance.clearMarks(PREFETCH_IDLE_MARK);
    p.start(ids(5), 0);
    expect([...pending.keys()]).toEqual(['midc:1', 'midc:3']);
    while (pending.size > 0) {
      (pending.values().next().value as () => void)();
      await tick();
    }
    expect(most).toBe(2);
    expect([...cached].sort()).toEqual(['midc:1', 'midc:2', 'midc:3', 'midc:4']);
    expect(performance.getEntriesByName(PREFETCH_IDLE_MARK)).toHaveLength(1);
  });

  it('replaces its queue when the person moves on and empties it on stop', async () => {
    const started: string[] = [];
    const pending: (() => void)[] = [];
    const p = new StackPrefetcher(
      (id) =>
        new Promise<void>((resolve) => {
          started.push(id);
          pending.push(resolve);
        }),
      () => false,
      1,
    );
    p.start(ids(10), 0);
    p.start(ids(10), 8);
    (pending.shift() as () => void)();
    await tick();
    // midc:1 was loading already; then the new queue, nearest the new index first.
    expect(started).toEqual(['midc:1', 'midc:9']);
    p.stop();
    (pending.shift() as () => void)();
    await tick();
    expect(started).toEqual(['midc:1', 'midc:9']);
  });
});
