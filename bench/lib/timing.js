'use strict';
// Timing: warm-up runs (not counted), then the median, min and max of the measured runs.


function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length, samples };
}

/**
 * Runs `fn` `warmup` times, then `runs` times, and returns the summary of what it measured.
 * `fn` may return a number (its own measurement in ms, e.g. timed inside a child process) or
 * anything else, in which case its wall time is used. `before` runs untimed before each call
 * (fresh temp folders and the like).
 */
async function measure(fn, { runs = 5, warmup = 1, before } = {}) {
  const samples = [];
  for (let i = 0; i < warmup + runs; i++) {
    const ctx = before ? await before(i) : undefined;
    const t0 = performance.now();
    const out = await fn(ctx, i);
    const ms = typeof out === 'number' ? out : performance.now() - t0;
    if (i >= warmup) samples.push(ms);
  }
  return summarize(samples);
}

/**
 * Like `measure` for several tasks at once, run in turn (a1 b1 a2 b2 ...), so that on a noisy
 * machine every task sees the same spells of load. `tasks` maps a name to {fn, before, after};
 * `after(ctx)` runs untimed after each call, also when it throws (stopping servers and the like).
 * Resolves {name: summary}.
 */
async function measureAlternating(tasks, { runs = 5, warmup = 1 } = {}) {
  const samples = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const [name, { fn, before, after }] of Object.entries(tasks)) {
      const ctx = before ? await before(i) : undefined;
      let ms;
      try {
        const t0 = performance.now();
        const out = await fn(ctx, i);
        ms = typeof out === 'number' ? out : performance.now() - t0;
      } finally {
        if (after) await after(ctx, i);
      }
      if (i >= warmup) samples[name].push(ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
}

const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`);

/** "1.23 s (min 1.10 s, max 1.40 s, n=5)" */
function describe(s) {
  return `${fmtMs(s.median)} (min ${fmtMs(s.min)}, max ${fmtMs(s.max)}, n=${s.runs})`;
}

module.exports = { measure, measureAlternating, summarize, describe, fmtMs };
