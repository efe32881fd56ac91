'use strict';
// Child process of the viewer benchmark, in the Chromium host (built renderer, headless), as
// the annotator: each round reloads the page, opens the inbox, then in the page records the
// click on the ticket's "open" button and waits for the viewer's render mark of image 0
// (src/renderer/src/features/viewer/render-marks.ts); then presses the next-image key N times,
// each press sent as soon as the previous image has rendered, and reads the render marks.
// All times are taken in the page (performance.now / User Timing), so CDP latency is excluded.
// argv: BUNDLE WORKSPACE JSON-OPTIONS {ticketId, password, rounds, warmup, steps, rendererDir, preloadFile}

const [bundle, workspace, optionsText] = process.argv.slice(2);
const host = require(bundle);
const opts = JSON.parse(optionsText);
const T = 120_000;
const MARK = 'midc:viewer:image-rendered';

async function login(page) {
  await page.getByTestId('login-form').or(page.getByTestId('shell')).first().waitFor({ timeout: T });
  if (await page.getByTestId('shell').isVisible()) return;
  await page.getByTestId('login-username').fill('anna');
  await page.getByTestId('login-password').fill(opts.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('shell').waitFor({ timeout: T });
}

/** In the page: click, then wait for the render mark of stack index `index`; ms from the click. */
function clickUntilRendered(page, selector, index) {
  return page.evaluate(
    ({ selector, index, mark, timeout }) =>
      new Promise((resolve, reject) => {
        const button = globalThis.document.querySelector(selector);
        if (!button) return reject(new Error(`no ${selector}`));
        performance.clearMarks(mark);
        const t0 = performance.now();
        const timer = setTimeout(() => reject(new Error(`image ${index} not rendered within ${timeout} ms`)), timeout);
        const poll = () => {
          const hit = performance.getEntriesByName(mark).find((m) => m.detail && m.detail.index === index);
          if (hit) {
            clearTimeout(timer);
            resolve(hit.startTime - t0);
          } else globalThis.requestAnimationFrame(poll);
        };
        button.click();
        poll();
      }),
    { selector, index, mark: MARK, timeout: T },
  );
}

/** In the page: `steps` presses of the next-image key, each after the previous image rendered. */
function scroll(page, steps) {
  return page.evaluate(
    ({ steps, mark, timeout }) =>
      new Promise((resolve, reject) => {
        const times = [];
        const start = performance.now();
        let expect = 1;
        let sentAt = start;
        const timer = setTimeout(() => reject(new Error(`scrolling stalled at image ${expect}`)), timeout);
        const press = () => {
          sentAt = performance.now();
          globalThis.dispatchEvent(new globalThis.KeyboardEvent('keydown', { key: 'PageDown', code: 'PageDown', bubbles: true }));
        };
        const poll = () => {
          const hit = performance.getEntriesByName(mark).find((m) => m.detail && m.detail.index === expect);
          if (hit) {
            times.push(hit.startTime - sentAt);
            if (expect === steps) {
              clearTimeout(timer);
              return resolve({ total: hit.startTime - start, times });
            }
            expect++;
            press();
          }
          setTimeout(poll, 0);
        };
        press();
        poll();
      }),
    { steps, mark: MARK, timeout: T },
  );
}

/** In the page: until the viewer's background loading has nothing left to do (its prefetch-idle mark). */
function prefetchIdle(page) {
  return page.evaluate(
    ({ timeout }) =>
      new Promise((resolve, reject) => {
        const t0 = performance.now();
        const timer = setTimeout(() => reject(new Error('the viewer never finished loading the stack in the background')), timeout);
        const poll = () => {
          const idle = performance.getEntriesByName('midc:viewer:prefetch-idle').length > 0;
          if (idle) {
            clearTimeout(timer);
            resolve(performance.now() - t0);
          } else setTimeout(poll, 20);
        };
        poll();
      }),
    { timeout: T },
  );
}

async function round(page, warm) {
  page.setDefaultTimeout(T);
  await page.reload();
  await login(page);
  await page.getByTestId('nav-inbox').click();
  const open = page.getByTestId(`inbox-open-${opts.ticketId}`);
  await open.waitFor({ timeout: T });
  // As a person reading the inbox would, give the page the moment it uses to load the viewer's
  // libraries in the background (the inbox preloads them); how long that took is reported.
  const shownAt = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => performance.getEntriesByName('midc:viewer:libraries-ready').length > 0, undefined, { timeout: T });
  const libs = (await page.evaluate(() => performance.getEntriesByName('midc:viewer:libraries-ready')[0].startTime)) - shownAt;
  // Likewise the inbox's warm-up of the first image of its top tickets (the next to be opened).
  await page.waitForFunction(() => performance.getEntriesByName('midc:viewer:warm-idle').length > 0, undefined, { timeout: T });
  const warmed = (await page.evaluate(() => performance.getEntriesByName('midc:viewer:warm-idle')[0].startTime)) - shownAt;
  const first = await clickUntilRendered(page, `[data-testid="inbox-open-${opts.ticketId}"]`, 0);
  await page.getByTestId('viewport-element').waitFor({ timeout: T });
  const idle = warm ? await prefetchIdle(page) : null;
  const s = await scroll(page, opts.steps);
  // Back to the inbox, so the next round opens the ticket from scratch.
  await page.getByTestId('nav-inbox').click();
  return { first, idle, libs: Math.max(0, libs), warmed: Math.max(0, warmed), scrollMs: s.total, perImage: s.times };
}

async function main() {
  const h = await host.launchChromiumHost({ workspaceDir: workspace, headless: true, rendererDir: opts.rendererDir, preloadFile: opts.preloadFile });
  try {
    // Cold: the keys pressed right after the first image; warm: after the background loading.
    // The two alternate round by round, so both see the same spells of load.
    const cold = [];
    const warm = [];
    for (let i = 0; i < opts.warmup + opts.rounds; i++) {
      for (const kind of ['cold', 'warm']) {
        const r = await round(h.page, kind === 'warm');
        if (process.env.MIDC_BENCH_TRACE) process.stderr.write(`[viewer] ${kind} round ${i}: first ${r.first.toFixed(0)} ms, ${opts.steps} images in ${r.scrollMs.toFixed(0)} ms\n`);
        if (i >= opts.warmup) (kind === 'warm' ? warm : cold).push(r);
      }
    }
    return { cold, warm, blocked: h.blocked.length };
  } finally {
    await h.close();
  }
}

main().then(
  (out) => process.stdout.write(JSON.stringify(out)),
  (err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
