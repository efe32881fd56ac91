'use strict';
// metrics: the classification metric engine (src/shared/metrics) in process vs scikit-learn on
// the same labels, and `midc metrics` end to end on the CSV files (vs the same job in Python).

const fs = require('node:fs');
const path = require('node:path');
const { prng } = require('./lib/prng');
const { measure, summarize, describe, fmtMs } = require('./lib/timing');
const { dataDir, cached } = require('./lib/data');
const { run, midcOk, midcCommands, CLI } = require('./lib/proc');
const { ROOT } = require('./lib/machine');

const SEED = 20260305;
const CLASSES = ['normal', 'nodule', 'mass', 'ground_glass', 'consolidation', 'effusion', 'pneumothorax', 'atelectasis', 'fibrosis', 'cardiomegaly'];
// Debian's python3 (python3-sklearn); MIDC_BENCH_PYTHON chooses another interpreter.
const PYTHON = process.env.MIDC_BENCH_PYTHON || '/usr/bin/python3';
const ENGINE_ENTRY = path.join(ROOT, 'src', 'shared', 'metrics', 'index.ts');

/** GT `image_key,class`, PRED `image_key,class,score` and PRED without scores, same order. */
function generateCsvs(dir, rows) {
  const random = prng(SEED);
  // Skewed class frequencies, like a screening set (most images normal).
  const weights = CLASSES.map((_, i) => (i === 0 ? 8 : 1 / (i + 1)));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = weights.map(((sum) => (w) => (sum += w / total))(0));
  const pick = () => {
    const r = random();
    const i = cumulative.findIndex((c) => r < c);
    return i === -1 ? CLASSES.length - 1 : i;
  };
  const gt = ['image_key,class'];
  const pred = ['image_key,class,score'];
  const predNoScore = ['image_key,class'];
  const flush = (name, arr, first) => {
    fs[first ? 'writeFileSync' : 'appendFileSync'](path.join(dir, name), `${arr.join('\n')}\n`);
    arr.length = 0;
  };
  for (let i = 0; i < rows; i++) {
    const key = `1.2.826.0.1.3680043.8.498.${100000000 + i}`;
    const t = pick();
    const p = random() < 0.8 ? t : pick();
    gt.push(`${key},${CLASSES[t]}`);
    pred.push(`${key},${CLASSES[p]},${(0.5 + random() / 2).toFixed(4)}`);
    predNoScore.push(`${key},${CLASSES[p]}`);
    if (gt.length >= 100000 || i === rows - 1) {
      const first = i < 100000;
      flush('gt.csv', gt, first);
      flush('pred.csv', pred, first);
      flush('pred-noscore.csv', predNoScore, first);
    }
  }
}

// scikit-learn, timed inside Python on labels already in memory. Mode "engine": only the
// computation; mode "e2e": the whole job from the CSV files (reading included).
const SKLEARN = String.raw`
import json, sys, time, csv
t_start = time.perf_counter()
import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support, accuracy_score
mode, gt_file, pred_file, warmup, runs, object_runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
def load(path):
    with open(path, newline='') as f:
        r = csv.reader(f)
        next(r)
        keys, labels = [], []
        for row in r:
            keys.append(row[0]); labels.append(row[1])
    return keys, labels
def compute(y_true, y_pred):
    labels = np.unique(np.concatenate([y_true, y_pred]))
    cm = confusion_matrix(y_true, y_pred, labels=labels)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=None, zero_division=0)
    acc = accuracy_score(y_true, y_pred)
    return labels, cm, acc
if mode == 'e2e':
    gk, gl = load(gt_file); pk, pl = load(pred_file)
    order = dict(zip(pk, pl))
    y_true = np.array(gl, dtype=str); y_pred = np.array([order[k] for k in gk], dtype=str)
    labels, cm, acc = compute(y_true, y_pred)
    print(json.dumps({'seconds': [time.perf_counter() - t_start], 'accuracy': acc}))
    sys.exit(0)
gk, gl = load(gt_file); pk, pl = load(pred_file)
assert gk == pk
out = {}
# Fixed-width str arrays are scikit-learn's fast path; object arrays (what pandas gives) are
# several times slower, so they are timed fewer times, without a warm-up.
for dtype, w, n in (('str', warmup, runs), ('object', 0, object_runs)):
    if n == 0: continue
    y_true = np.array(gl, dtype=object if dtype == 'object' else str)
    y_pred = np.array(pl, dtype=object if dtype == 'object' else str)
    samples = []
    for i in range(w + n):
        t0 = time.perf_counter()
        labels, cm, acc = compute(y_true, y_pred)
        dt = time.perf_counter() - t0
        if i >= w: samples.append(dt)
    out[dtype] = {'seconds': samples, 'classes': [str(x) for x in labels], 'confusion': cm.tolist(), 'accuracy': float(acc)}
print(json.dumps(out))
`;

async function python(args) {
  const r = await run(PYTHON, ['-c', SKLEARN, ...args]);
  if (r.code !== 0) throw new Error(`scikit-learn script failed (${r.code}): ${r.stderr.slice(-1500)}`);
  return { out: JSON.parse(r.stdout), ms: r.ms };
}

/** null when /usr/bin/python3 has scikit-learn, else why not (the anchor is then skipped). */
async function sklearnMissing() {
  if (!fs.existsSync(PYTHON)) return `no ${PYTHON}`;
  const r = await run(PYTHON, ['-c', 'import numpy, sklearn']);
  return r.code === 0 ? null : 'scikit-learn is not installed (apt-get install python3-sklearn)';
}

/** Bundles src/shared/metrics (TypeScript) to CommonJS with Vite's build API. */
async function bundleEngine() {
  const outDir = dataDir('metrics-engine');
  const { build } = await import('vite');
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: ENGINE_ENTRY,
      outDir,
      emptyOutDir: true,
      minify: false,
      rolldownOptions: { output: { format: 'cjs', entryFileNames: 'metrics.cjs' } },
    },
  });
  return path.join(outDir, 'metrics.cjs');
}

const perSecond = (rows, ms) => `${((rows / ms) * 1000 / 1e6).toFixed(2)} M rows/s`;

module.exports = {
  name: 'metrics',
  title: 'Metrics: the classification engine vs scikit-learn, and `midc metrics` end to end',
  async run({ smoke, log }) {
    const rows = smoke ? 5000 : 1_000_000;
    const runs = smoke ? 2 : 5;
    const warmup = smoke ? 0 : 1;
    const { dir, generated } = await cached(dataDir(`metrics-${rows}`), { v: 1, rows, seed: SEED, classes: CLASSES }, (d) => generateCsvs(d, rows));
    log(`${generated ? 'generated' : 'reusing'} ${rows} rows in ${path.relative(ROOT, dir)}`);
    const gt = path.join(dir, 'gt.csv');
    const pred = path.join(dir, 'pred.csv');
    const predNoScore = path.join(dir, 'pred-noscore.csv');
    const results = [];
    const notes = [];
    const noPython = await sklearnMissing();
    const n = rows.toLocaleString('en-US');

    // (b) the engine in process vs scikit-learn.
    if (!fs.existsSync(ENGINE_ENTRY)) {
      results.push({ name: 'engine vs scikit-learn', what: 'not yet available', midc: 'not yet available: src/shared/metrics (issue 5) is not there', anchor: '—', ratio: 'n/a', target: '≥ 10x', pass: null });
    } else {
      const bundle = await bundleEngine();
      const child = await run(process.execPath, [path.join(__dirname, 'lib', 'metrics-engine-child.js'), bundle, gt, predNoScore, String(warmup), String(runs)]);
      if (child.code !== 0) throw new Error(`metrics engine child failed: ${child.stderr.slice(-1500)}`);
      const engine = JSON.parse(child.stdout);
      const engineTime = summarize(engine.samples);
      log(`engine: ${describe(engineTime)}`);
      if (noPython) {
        results.push({ name: 'engine vs scikit-learn', what: `${n} rows`, midc: describe(engineTime), anchor: `not available: ${noPython}`, ratio: 'n/a', target: '≥ 10x', pass: null });
      } else {
        const sk = (await python(['engine', gt, predNoScore, String(warmup), String(runs), '1'])).out;
        const variants = Object.entries(sk).map(([dtype, v]) => ({ dtype, time: summarize(v.seconds.map((s) => s * 1000)), ...v }));
        for (const v of variants) {
          log(`scikit-learn (${v.dtype} arrays): ${describe(v.time)}`);
          if (JSON.stringify(v.classes) !== JSON.stringify(engine.classes) || JSON.stringify(v.confusion) !== JSON.stringify(engine.confusion)) {
            throw new Error(`MIDC and scikit-learn disagree on the confusion matrix (${v.dtype} arrays)`);
          }
          if (Math.abs(v.accuracy - engine.accuracy) > 1e-12) throw new Error(`accuracy differs: MIDC ${engine.accuracy}, scikit-learn ${v.accuracy}`);
        }
        // The anchor is scikit-learn at its fastest input representation.
        const best = variants.reduce((a, b) => (b.time.median < a.time.median ? b : a));
        const other = variants.find((v) => v !== best);
        const speedup = best.time.median / engineTime.median;
        results.push({
          name: 'engine vs scikit-learn',
          what: `${n} classification results, 10 string classes, labels already in memory: confusion matrix, per-class precision/recall/F1/support, accuracy`,
          midc: `${describe(engineTime)}; ${perSecond(rows, engineTime.median)}`,
          anchor: `scikit-learn ${describe(best.time)} (${best.dtype} numpy arrays${other ? `; with ${other.dtype} arrays, as from pandas: ${fmtMs(other.time.median)}, n=${other.time.runs}` : ''})`,
          brief: { midc: fmtMs(engineTime.median), anchor: `scikit-learn ${fmtMs(best.time.median)}` },
          ratio: `${speedup.toFixed(1)}x faster`,
          target: '≥ 10x faster',
          pass: speedup >= 10,
          notes:
            'Same labels and the same outputs (confusion matrices and accuracy checked equal). MIDC also joins predictions to ground truth by image key and computes specificity, macro and micro; scikit-learn gets label arrays already aligned (np.unique + confusion_matrix + precision_recall_fscore_support + accuracy_score; zero_division=0, as this scikit-learn 1.2 has no nan option and the data has no 0/0 case), timed inside Python.',
        });
      }
    }

    // (a) `midc metrics` end to end.
    if (!fs.existsSync(CLI) || !(await midcCommands()).has('metrics')) {
      results.push({ name: 'midc metrics end to end', what: 'not yet available', midc: 'not yet available: `midc metrics` is not in the built CLI', anchor: '—', ratio: 'n/a', target: '≤ 2 s', pass: null });
    } else {
      const sk = noPython ? null : await measure(async () => (await python(['e2e', gt, pred, '0', '1', '0'])).ms, { runs: smoke ? 1 : 3, warmup: 0 });
      for (const [label, file] of [
        ['with scores (per-class AUC too)', pred],
        ['without scores', predNoScore],
      ]) {
        const rss = [];
        let out = null;
        const t = await measure(
          async () => {
            const r = await midcOk(['metrics', '--gt', gt, '--pred', file, '--json']);
            rss.push(r.peakRssKiB);
            out = JSON.parse(r.stdout);
            return r.ms;
          },
          { runs, warmup },
        );
        if (out.classes.length !== CLASSES.length) throw new Error(`midc metrics found ${out.classes.length} classes`);
        log(`midc metrics (${label}): ${describe(t)}`);
        results.push({
          name: `midc metrics e2e, ${label}`,
          what: `\`midc metrics --gt --pred --json\` on ${n}-row CSVs, whole process (start-up, reading, parsing, computing, JSON)`,
          midc: `${describe(t)}; peak RSS ${Math.round(Math.max(...rss) / 1024)} MiB`,
          anchor: sk ? `Python csv + scikit-learn, whole process: ${describe(sk)}` : `not available: ${noPython}`,
          ratio: sk ? `${(sk.median / t.median).toFixed(1)}x faster` : 'n/a',
          target: '≤ 2 s',
          pass: rows >= 1_000_000 ? t.median <= 2000 : null,
          notes: 'The Python anchor reads the same CSVs with the csv module, joins predictions by key (a dict) and computes as above on str arrays, Python and scikit-learn start-up included (an anchor for scale; the target is the 2 s).',
        });
      }
    }
    if (smoke) notes.push('smoke sizes: verdicts on end-to-end time are only given at 1M rows.');
    return { status: 'ok', results, notes, sizes: `${n} rows, ${runs} runs after ${warmup} warm-up` };
  },
};
