'use strict';
// viewer: in the Chromium host, time from opening a ticket to the first rendered image and
// the scroll rate over a 200-image 512x512 CT stack (targets ≤ 100 ms, ≥ 30 images/s), read
// from the viewer's own render marks (User Timing, src/renderer/src/features/viewer/render-marks.ts).

const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./lib/machine');
const { dataDir, cached } = require('./lib/data');
const { midcOk, run, CLI } = require('./lib/proc');
const { summarize, describe, fmtMs } = require('./lib/timing');
const { hostBundle } = require('./lib/bundle');
const { writeCtStack } = require('./lib/ct-stack');

const SEED = 20260604;
const PASSWORD = 'bench-password-1';
const MIGRATIONS = path.join(ROOT, 'src', 'main', 'db', 'migrations');
const RENDERER_DIR = path.join(ROOT, 'out', 'renderer');
const PRELOAD_FILE = path.join(ROOT, 'out', 'preload', 'chromium.js');
const MARKS = path.join(ROOT, 'src', 'renderer', 'src', 'features', 'viewer', 'render-marks.ts');

/** The CT stack (files), then a workspace with it imported and a labeling ticket for the annotator. */
async function workspace(bundle, count, log) {
  const stack = await cached(dataDir(`viewer-ct-${count}`), { v: 1, count, seed: SEED, size: 512 }, (d) => writeCtStack(d, { count, seed: SEED }));
  const schema = fs.readdirSync(MIGRATIONS).filter((f) => !f.includes('.test.')).sort();
  let seeded = null;
  const ws = await cached(dataDir(`viewer-ws-${count}`), { v: 1, count, seed: SEED, schema }, async (d) => {
    await midcOk(['init', '--workspace', d, '--json']);
    await midcOk(['import', stack.dir, '--workspace', d, '--json']);
    const code = `const h = require(${JSON.stringify(bundle)}); (async () => { const app = h.openApp(${JSON.stringify(d)}); try { process.stdout.write(JSON.stringify(await h.seedLabelingTicket(app, ${JSON.stringify(PASSWORD)}))); } finally { app.close(); } })().catch((e) => { console.error(e); process.exit(1); });`;
    const r = await run(process.execPath, ['-e', code]);
    if (r.code !== 0) throw new Error(`seeding the labeling ticket failed:\n${r.stderr.slice(-2000)}`);
    seeded = JSON.parse(r.stdout);
    fs.writeFileSync(path.join(d, 'bench-seed.json'), r.stdout);
  });
  seeded ??= JSON.parse(fs.readFileSync(path.join(ws.dir, 'bench-seed.json'), 'utf8'));
  if (seeded.images !== count) throw new Error(`the ticket holds ${seeded.images} images, expected ${count}`);
  log(`${stack.generated ? 'generated' : 'reusing'} ${count} CT slices (512x512, 16-bit); ${ws.generated ? 'set up' : 'reusing'} workspace with ticket ${seeded.ticketId}`);
  return { dir: ws.dir, ...seeded };
}

const rate = (steps, ms) => (steps / ms) * 1000;

module.exports = {
  name: 'viewer',
  /** Generates (or finds) the stack and workspace only, untimed. */
  async prepare({ smoke = false, log = console.log } = {}) {
    await workspace(await hostBundle(), smoke ? 6 : 200, log);
  },
  title: 'Viewer: ticket to first image and scroll rate over a 200-image 512x512 CT stack (Chromium host)',
  async run({ smoke, log }) {
    if (!fs.existsSync(CLI) || !fs.existsSync(PRELOAD_FILE)) return { status: 'unavailable', reason: 'the app is not built (out/ missing): run `npx electron-vite build`' };
    if (!fs.existsSync(MARKS)) return { status: 'unavailable', reason: 'the viewer has no render marks (render-marks.ts)' };
    const count = smoke ? 6 : 200;
    const rounds = smoke ? 1 : 5;
    const bundle = await hostBundle();
    const ws = await workspace(bundle, count, log);
    const steps = count - 1;
    const r = await run(process.execPath, [
      path.join(__dirname, 'lib', 'viewer-child.js'),
      bundle,
      ws.dir,
      JSON.stringify({ ticketId: ws.ticketId, password: PASSWORD, rounds, warmup: 1, steps, rendererDir: RENDERER_DIR, preloadFile: PRELOAD_FILE }),
    ]);
    if (r.code !== 0) throw new Error(`the viewer rounds failed:\n${r.stderr.slice(-2000)}`);
    const out = JSON.parse(r.stdout);
    if (out.blocked !== 0) throw new Error(`${out.blocked} request(s) were blocked by the host`);
    const all = [...out.cold, ...out.warm];
    const first = summarize(all.map((x) => x.first));
    const coldRate = summarize(out.cold.map((x) => rate(steps, x.scrollMs)));
    const warmRate = summarize(out.warm.map((x) => rate(steps, x.scrollMs)));
    const idle = summarize(out.warm.map((x) => x.idle));
    const libs = summarize(all.map((x) => x.libs));
    const warmed = summarize(all.map((x) => x.warmed));
    const perImage = all.flatMap((x) => x.perImage).sort((a, b) => a - b);
    const p95 = perImage[Math.min(perImage.length - 1, Math.floor(perImage.length * 0.95))];
    const fmtRate = (s) => `${s.median.toFixed(1)} images/s (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, n=${s.runs})`;
    log(`first image ${describe(first)}; scroll cold ${fmtRate(coldRate)}, after background loading ${fmtRate(warmRate)}`);
    const results = [
      {
        name: 'ticket to first image',
        what: `annotator clicks "open" on the ticket in the inbox (${count} images, one study) until Cornerstone has rendered image 1 (its render mark); page reloaded before each round (nothing cached), the click sent once the inbox has preloaded the viewer libraries and loaded the first image of its top tickets (as it does while a person reads it); times taken in the page`,
        midc: `${describe(first)}; the inbox had loaded the viewer libraries in the background ${describe(libs)} after it showed, and the ticket's first image ${describe(warmed)} after it showed`,
        brief: { midc: fmtMs(first.median), anchor: '—' },
        anchor: '—',
        ratio: 'n/a',
        target: '≤ 100 ms',
        pass: first.median <= 100,
      },
      {
        name: 'scroll rate, right after opening',
        what: `${steps} presses of the next-image key (PageDown), each sent as soon as the previous image has rendered, starting at once after the first image`,
        midc: `${fmtRate(coldRate)}; per image p50 ${fmtMs(perImage[perImage.length >> 1])}, p95 ${fmtMs(p95)} (cold and warm pooled)`,
        brief: { midc: `${coldRate.median.toFixed(1)} images/s`, anchor: '—' },
        anchor: '—',
        ratio: 'n/a',
        target: '≥ 30 images/s',
        pass: coldRate.median >= 30,
      },
      {
        name: 'scroll rate, stack loaded in the background',
        what: `the same ${steps} presses once the viewer's background loading of the next images has finished (${describe(idle)} after the first image)`,
        midc: fmtRate(warmRate),
        brief: { midc: `${warmRate.median.toFixed(1)} images/s`, anchor: '—' },
        anchor: '—',
        ratio: 'n/a',
        target: '≥ 30 images/s',
        pass: warmRate.median >= 30,
        notes: 'Cold and warm rounds alternate. The viewer loads up to 100 images after the shown one (and 4 before it) in the background, four at a time, starting with the shown image\'s own load; the keys then find them decoded in Cornerstone\'s cache.',
      },
    ];
    return { status: 'ok', results, sizes: `${count} slices of 512x512 16-bit CT; ${rounds} cold and ${rounds} warm rounds after one of each as warm-up` };
  },
};
