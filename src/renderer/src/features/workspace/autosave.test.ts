import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../../shared/errors';
import { Saver, type SaveState } from './autosave';

interface Call {
  key: number;
  revision: number;
  doc: string;
}

function setup(answer: (c: Call) => Result<unknown> = () => ({ ok: true, value: null })) {
  const calls: Call[] = [];
  const states: SaveState[] = [];
  let release: (() => void) | null = null;
  let hold = false;
  const saver = new Saver<string>({
    delayMs: 400,
    retryMs: 3000,
    save: async (key, revision, doc) => {
      calls.push({ key, revision, doc });
      if (hold) await new Promise<void>((r) => (release = r));
      return answer({ key, revision, doc });
    },
    onState: (s) => states.push(s),
  });
  return { saver, calls, states, holdNext: () => (hold = true), release: () => { hold = false; release?.(); } };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('autosave', () => {
  it('saves once, 400 ms after the last of several quick changes, with the next revision', async () => {
    const { saver, calls } = setup();
    saver.setRevision(7, 3);
    saver.change(7, 'a');
    await vi.advanceTimersByTimeAsync(200);
    saver.change(7, 'b');
    await vi.advanceTimersByTimeAsync(399);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([{ key: 7, revision: 4, doc: 'b' }]);
    expect(saver.state).toBe('saved');
    saver.change(7, 'c');
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.at(-1)).toEqual({ key: 7, revision: 5, doc: 'c' });
  });

  it('saves a change made during a running save right after it, never two at once', async () => {
    const t = setup();
    t.holdNext();
    t.saver.change(1, 'a');
    await vi.advanceTimersByTimeAsync(400);
    expect(t.saver.state).toBe('saving');
    t.saver.change(1, 'b');
    await vi.advanceTimersByTimeAsync(400);
    expect(t.calls.map((c) => c.doc)).toEqual(['a']);
    t.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.calls.map((c) => [c.doc, c.revision])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(t.saver.state).toBe('saved');
  });

  it('flushes pending changes at once', async () => {
    const { saver, calls } = setup();
    saver.change(1, 'a');
    saver.change(2, 'b');
    await saver.flush();
    expect(calls.map((c) => c.key).sort()).toEqual([1, 2]);
  });

  it('retries above the stored revision after a CONFLICT that names it', async () => {
    const { saver, calls } = setup((c) =>
      c.revision <= 5 ? { ok: false, error: { code: 'CONFLICT', message: 'stale', details: { latestRevision: 5 } } } : { ok: true, value: null },
    );
    saver.change(1, 'a');
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.map((c) => c.revision)).toEqual([1, 6]);
    expect(saver.revisionOf(1)).toBe(6);
    expect(saver.state).toBe('saved');
  });

  it('keeps a failed state, says so, and tries again later', async () => {
    let fail = true;
    const { saver, calls } = setup(() => (fail ? { ok: false, error: { code: 'STORAGE_IO', message: 'disk' } } : { ok: true, value: null }));
    saver.change(1, 'a');
    await vi.advanceTimersByTimeAsync(400);
    expect(saver.state).toBe('error');
    fail = false;
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls.map((c) => [c.doc, c.revision])).toEqual([
      ['a', 1],
      ['a', 1],
    ]);
    expect(saver.state).toBe('saved');
  });
});
