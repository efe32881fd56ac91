'use strict';
// Child process of the drilldown benchmark: the comparison of two runs over N images in the
// Chromium host (real renderer, preload and IPC), driven with Playwright as a person would.
// Each measured round reloads the page, logs in, compares the two runs, then times the click on
// "per-image detail" (accuracy: one row per image, N rows) until the ag-grid shows rows and the
// page's main thread answers the next animation frame; then a status filter's response.
// argv: BUNDLE WORKSPACE JSON-OPTIONS {runIds, password, rounds, warmup, rendererDir, preloadFile}

const [bundle, workspace, optionsText] = process.argv.slice(2);
const host = require(bundle);
const opts = JSON.parse(optionsText);

const T = 120_000;
const t00 = performance.now();
const trace = (msg) => process.env.MIDC_BENCH_TRACE && process.stderr.write(`[grid ${((performance.now() - t00) / 1000).toFixed(1)}s] ${msg}\n`);

/** After a reload the host keeps the page's session (one window, one sender): log in only when asked. */
async function login(page) {
  await page.getByTestId('login-form').or(page.getByTestId('shell')).first().waitFor({ timeout: T });
  if (await page.getByTestId('shell').isVisible()) return;
  await page.getByTestId('login-username').fill('engineer');
  await page.getByTestId('login-password').fill(opts.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('shell').waitFor({ timeout: T });
}

/** Resolves once the page has painted a frame after now: its main thread is free. */
const nextFrame = (page) => page.evaluate(() => new Promise((resolve) => globalThis.requestAnimationFrame(() => setTimeout(resolve, 0))));

async function round(page) {
  page.setDefaultTimeout(T);
  trace('reload');
  await page.reload();
  await login(page);
  await page.getByTestId('nav-results').click();
  await page.getByTestId('results-tab-compare').click();
  for (const id of opts.runIds) await page.getByTestId(`compare-run-${id}`).check();
  await page.getByTestId('compare-baseline').selectOption(String(opts.runIds[0]));
  await page.getByTestId('compare-go').click();
  await page.getByTestId('compare-grid').locator('.ag-row').first().waitFor({ timeout: T });
  const go = page.getByTestId('detail-go');
  await go.waitFor({ timeout: T });
  const rows = page.getByTestId('detail-grid').locator('.ag-row');

  trace('detail-go');
  const t0 = performance.now();
  await go.click({ noWaitAfter: true });
  await rows.first().waitFor({ timeout: T });
  const shown = performance.now() - t0;
  trace(`rows shown after ${shown.toFixed(0)} ms`);
  await nextFrame(page);
  const interactive = performance.now() - t0;
  const total = Number((await page.getByTestId('detail-filter-all').textContent()).replace(/\D+/g, ' ').trim().split(' ').pop());

  // Responds: a status filter narrows the 100k rows; time until the grid shows the filtered rows.
  const broken = page.getByTestId('detail-filter-broken');
  const brokenCount = Number(await broken.getAttribute('data-count'));
  const t1 = performance.now();
  await broken.click();
  await page.waitForFunction(
    () => {
      const cells = globalThis.document.querySelectorAll('[data-testid="detail-grid"] .ag-row [col-id="status"]');
      return cells.length > 0 && [...cells].every((c) => c.className.includes('status-broken'));
    },
    undefined,
    { timeout: T, polling: 'raf' },
  );
  const filter = performance.now() - t1;
  trace(`filter after ${filter.toFixed(0)} ms`);
  // The same request from the page without the grid: the IPC round trip alone (dispatch, the
  // host transport, parsing in the page), to tell transport from rendering.
  const ipc = await page.evaluate(async (runIds) => {
    const t = performance.now();
    const r = await globalThis.api.runs.detail({ runIds, metric: 'accuracy' });
    if (!r.ok) throw new Error(r.error.message);
    return performance.now() - t;
  }, opts.runIds);
  return { shown, interactive, filter, ipc, total, brokenCount };
}

async function main() {
  const h = await host.launchChromiumHost({ workspaceDir: workspace, headless: true, rendererDir: opts.rendererDir, preloadFile: opts.preloadFile });
  try {
    const rounds = [];
    for (let i = 0; i < opts.warmup + opts.rounds; i++) {
      const r = await round(h.page);
      if (i >= opts.warmup) rounds.push(r);
    }
    return { rounds, blocked: h.blocked.length };
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
