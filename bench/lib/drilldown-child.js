'use strict';
// Child process of the drilldown benchmark (run with the RSS hook preloaded, so its peak RSS
// is that of a process serving the queries). argv: BUNDLE WORKSPACE MODE JSON-OPTIONS
//   seed:  users and the generated evaluation data (host-entry seedEvaluation); prints the ids
//   query: logs in, then times `runs:drill` and `runs:compare` through the app's real IPC
//          dispatch (the handler, its snapshot freshness check and drill.ts); prints samples
//   detail: logs in, then times `runs:detail` (accuracy, two runs) the same way

const [bundle, workspace, mode, optionsText] = process.argv.slice(2);
const host = require(bundle);
const { prng } = require('./prng');

const opts = JSON.parse(optionsText);
const PASSWORD = 'bench-password-1';

/** The random drill-down cells: TP/FP/FN sets of a class, the sets behind its precision, recall, F1 and support, confusion cells. */
const CELLS = ['tp', 'fp', 'fn', 'precision', 'recall', 'f1', 'support', 'confusion'];

function randomCell(random, classes) {
  const kind = CELLS[random.int(CELLS.length)];
  const c = classes[random.int(classes.length)];
  if (kind !== 'confusion') return { metric: kind, className: c };
  // One prediction column in eleven is "no prediction" (the missed column of the heat map).
  const p = random.int(classes.length + 1);
  return { metric: 'confusion', trueClass: c, predictedClass: p === classes.length ? null : classes[p] };
}

async function main() {
  const app = host.openApp(workspace);
  try {
    if (mode === 'seed') {
      await host.seedUsers(app, { engineer: ['algo_engineer'] }, PASSWORD);
      const seeded = host.seedEvaluation(app, opts.seed);
      return { runIds: seeded.runIds, classes: seeded.classes, images: seeded.imageIds.length };
    }
    const who = await host.backendLogin(app, 'engineer', PASSWORD);
    const random = prng(opts.querySeed);
    const timeOne = async (channel, payload) => {
      const t0 = performance.now();
      const value = await host.call(app, who, channel, payload);
      return { ms: performance.now() - t0, value };
    };
    if (mode === 'detail') {
      // The per-image detail of accuracy over two runs (one row per image), what the detail
      // grid loads, timed in process (no window transport).
      const detail = [];
      let detailRows = 0;
      for (let i = 0; i < opts.warmup + opts.runs; i++) {
        const { ms, value } = await timeOne('runs:detail', { runIds: opts.runIds.slice(0, 2), metric: 'accuracy' });
        if (i >= opts.warmup) detail.push(ms);
        detailRows = value.imageIds.length;
      }
      return { detail, detailRows };
    }
    // Warm-up: every run viewed once (statements prepared, pages cached), not recorded.
    for (const runId of opts.runIds) await timeOne('runs:drill', { runId, cell: { metric: 'tp', className: opts.classes[0] } });
    const drill = [];
    const byKind = {};
    let images = 0;
    for (let i = 0; i < opts.queries; i++) {
      const runId = opts.runIds[random.int(opts.runIds.length)];
      const cell = randomCell(random, opts.classes);
      const { ms, value } = await timeOne('runs:drill', { runId, cell });
      drill.push(ms);
      (byKind[cell.metric] ??= []).push(ms);
      images += value.imageIds.length;
    }
    const compare = [];
    let compareRows = 0;
    for (let i = 0; i < opts.compareWarmup + opts.compareRuns; i++) {
      const { ms, value } = await timeOne('runs:compare', { runIds: opts.runIds, baselineId: opts.runIds[0] });
      if (i >= opts.compareWarmup) compare.push(ms);
      compareRows = value.rows.length;
    }
    return { drill, byKind, meanImages: images / opts.queries, compare, compareRows };
  } finally {
    app.close();
  }
}

main().then(
  (out) => process.stdout.write(JSON.stringify(out)),
  (err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
