/**
 * Issue 2 acceptance, "air-gapped by construction" (DESIGN §5; RELIABILITY targets 5, 6, 9):
 * the page cannot reach the network, every attempt is logged, the app keeps working, the
 * documents carry the strict CSP, and no process of ours holds an inet socket.
 */
import type { Request } from '@playwright/test';
import { CHROMIUM_ORIGIN } from '../../src/shared/ipc-constants';
import type { MidcApi } from '../../src/shared/contract/api';
import { expect, launchInTemp, test, type MidcHost } from './fixtures';
import { cmdline, inetSocketsOfTree, processTree, TCP_LISTEN } from './proc-sockets';

/**
 * The page globals the probes use. Test code is compiled without the DOM types (it runs in
 * Node); the callbacks passed to page.evaluate run in the page, where these exist.
 */
interface ProbeWindow {
  api: MidcApi;
  fetch(url: string): Promise<unknown>;
  Image: new () => { src: string; onload: (() => void) | null; onerror: (() => void) | null };
  WebSocket: new (url: string) => {
    readyState: number;
    onopen: (() => void) | null;
    onmessage: (() => void) | null;
    onerror: (() => void) | null;
    onclose: ((e: { code: number }) => void) | null;
  };
  document: {
    body: { innerText: string };
    addEventListener(type: 'securitypolicyviolation', fn: (e: { blockedURI: string; effectiveDirective: string }) => void): void;
  };
  __violations?: { blockedURI: string; directive: string }[];
  __events?: string[];
}

interface AuditRow {
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: number;
  details: string;
}

function auditRows(midc: MidcHost): AuditRow[] {
  return midc.app.services.db
    .prepare('SELECT action, object_type, object_id, outcome, details FROM audit_log ORDER BY id')
    .all() as AuditRow[];
}

/**
 * Security rows that mention `needle`: written by the host when it aborted the request
 * (`security:blocked`, object = the URL) or by the renderer's CSP reporter
 * (`system:reportBlocked`, object type `security`, details.blocked = the URL).
 */
function securityRowsFor(rows: AuditRow[], needle: string): AuditRow[] {
  return rows.filter(
    (r) =>
      (r.action === 'security:blocked' && (r.object_id ?? '').includes(needle)) ||
      (r.action === 'system:reportBlocked' && r.object_type === 'security' && r.details.includes(needle)),
  );
}

function isOurs(url: string): boolean {
  try {
    return new URL(url).origin === CHROMIUM_ORIGIN;
  } catch {
    return false;
  }
}

test('remote fetch, image and WebSocket are blocked and audited, and the app keeps working', async ({ midc }) => {
  const { page } = midc;
  // Every request the browser reports, from a fresh load on: none for another origin may finish.
  const requested: Request[] = [];
  const failed = new Map<Request, string>();
  const finished: Request[] = [];
  page.on('request', (r) => requested.push(r));
  page.on('requestfailed', (r) => failed.set(r, r.failure()?.errorText ?? ''));
  page.on('requestfinished', (r) => finished.push(r));
  await page.reload();
  await expect.poll(() => page.evaluate(() => typeof (globalThis as unknown as ProbeWindow).api)).toBe('object');

  const fetchResult = await page.evaluate(async () => {
    try {
      await (globalThis as unknown as ProbeWindow).fetch('https://example.org');
      return 'resolved';
    } catch (err) {
      return `rejected: ${String(err)}`;
    }
  });
  expect(fetchResult).toMatch(/^rejected/);

  const imageResult = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const img = new (globalThis as unknown as ProbeWindow).Image();
        img.onload = () => resolve('loaded');
        img.onerror = () => resolve('error');
        img.src = 'https://example.org/x.png';
        setTimeout(() => resolve('timeout'), 10_000);
      }),
  );
  expect(imageResult).toBe('error');

  const socketResult = await page.evaluate(
    () =>
      new Promise<{ events: string[]; readyState: number }>((resolve) => {
        const events: string[] = [];
        let ws: InstanceType<ProbeWindow['WebSocket']>;
        try {
          ws = new (globalThis as unknown as ProbeWindow).WebSocket('wss://example.org');
        } catch (err) {
          // A browser may also refuse the constructor outright: equally blocked.
          resolve({ events: [`threw: ${String(err)}`], readyState: 3 });
          return;
        }
        ws.onopen = () => events.push('open');
        ws.onmessage = () => events.push('message');
        ws.onerror = () => events.push('error');
        ws.onclose = (e) => {
          events.push(`close ${e.code}`);
          resolve({ events, readyState: ws.readyState });
        };
        setTimeout(() => resolve({ events: [...events, 'timeout'], readyState: ws.readyState }), 10_000);
      }),
  );
  expect(socketResult.events.some((e) => e.startsWith('close') || e.startsWith('threw'))).toBe(true);
  expect(socketResult.events).not.toContain('message');
  expect(socketResult.events).not.toContain('timeout');
  expect(socketResult.readyState).toBe(3); // CLOSED

  // The app is still alive: the bridge answers and the page still shows the app.
  const status = await page.evaluate(() => (globalThis as unknown as ProbeWindow).api.auth.status({}));
  expect(status.ok).toBe(true);
  expect(await page.evaluate(() => (globalThis as unknown as ProbeWindow).document.body.innerText)).toContain('MIDC');

  // Each attempt is in the audit trail (the renderer's report arrives asynchronously).
  for (const needle of ['example.org/x.png', 'https://example.org/', 'wss://example.org']) {
    await expect
      .poll(() => securityRowsFor(auditRows(midc), needle).length, { message: `an audit row for ${needle}` })
      .toBeGreaterThan(0);
  }
  // The fetch's row must not be the image's: there is a row for the bare origin URL too.
  const rows = auditRows(midc);
  expect(
    rows.some(
      (r) =>
        (r.action === 'security:blocked' && r.object_id === 'https://example.org/') ||
        (r.action === 'system:reportBlocked' && /"blocked":"https:\/\/example\.org\/?"/.test(r.details)),
    ),
  ).toBe(true);
  for (const r of rows.filter((row) => row.action === 'security:blocked')) expect(r.outcome).toBe(8);

  expectNothingLeft(midc, requested, failed);
  expect(finished.every((r) => isOurs(r.url()) || midc.blocked.some((b) => b.url === r.url()))).toBe(true);
});

/**
 * Nothing for another origin ever reached the network: each such request was stopped inside
 * the browser, by the CSP (failure "csp") or by the host's interception, which lists it in
 * `blocked` (aborted, or answered 204 for a navigation).
 */
function expectNothingLeft(midc: MidcHost, requested: Request[], failed: Map<Request, string>): void {
  const foreign = requested.filter((r) => !isOurs(r.url()));
  for (const r of foreign) {
    const stoppedByCsp = failed.get(r) === 'csp';
    const interceptedByHost = midc.blocked.some((b) => b.url === r.url());
    expect(stoppedByCsp || interceptedByHost, `${r.url()} was neither refused by the CSP nor intercepted`).toBe(true);
  }
  expect(midc.blocked.every((b) => !isOurs(b.url))).toBe(true);
}

test('navigating away and opening windows are refused; the app stays in place', async ({ midc }) => {
  const { page } = midc;
  const requested: Request[] = [];
  const failed = new Map<Request, string>();
  page.on('request', (r) => requested.push(r));
  page.on('requestfailed', (r) => failed.set(r, r.failure()?.errorText ?? ''));

  await page.evaluate(() => {
    (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.org/away';
  });
  await expect.poll(() => midc.blocked.map((b) => b.url)).toContain('https://example.org/away');
  await page.evaluate(() => {
    (globalThis as unknown as { open(url: string): unknown }).open('https://example.org/popup');
  });
  await expect.poll(() => midc.blocked.some((b) => b.url.includes('/popup'))).toBe(true);
  await expect.poll(() => midc.page.context().pages().length).toBe(1);

  expect(new URL(page.url()).origin).toBe(CHROMIUM_ORIGIN);
  const status = await page.evaluate(() => (globalThis as unknown as ProbeWindow).api.auth.status({}));
  expect(status.ok).toBe(true);
  expect(securityRowsFor(auditRows(midc), 'example.org/away').length).toBeGreaterThan(0);
  expectNothingLeft(midc, requested, failed);
});

test('no process of the app listens or holds a UDP socket; Chromium is driven over a pipe', async ({ midc }) => {
  // Exercise the bridge first so the app is in its working state, not just launched.
  const info = await midc.page.evaluate(() => (globalThis as unknown as ProbeWindow).api.system.info({}));
  expect(info.ok).toBe(true);

  const tree = processTree(process.pid);
  const browsers = tree.filter((p) => cmdline(p.pid).some((a) => a.startsWith('--remote-debugging-')));
  expect(browsers.length, 'the Chromium browser process is in our process tree').toBeGreaterThan(0);
  for (const p of tree) {
    const args = cmdline(p.pid);
    expect(args.filter((a) => a.startsWith('--remote-debugging-port')), `pid ${p.pid} ${p.comm}`).toEqual([]);
  }
  for (const p of browsers) expect(cmdline(p.pid)).toContain('--remote-debugging-pipe');

  const sockets = inetSocketsOfTree(process.pid);
  const describe = (s: (typeof sockets)[number]) => `${s.proto} ${s.local} -> ${s.remote} st=${s.state} pid=${s.pid} (${s.comm})`;
  const listening = sockets.filter((s) => s.proto.startsWith('tcp') && s.state === TCP_LISTEN);
  expect(listening.map(describe), 'listening TCP sockets').toEqual([]);
  const udp = sockets.filter((s) => s.proto.startsWith('udp'));
  expect(udp.map(describe), 'UDP sockets').toEqual([]);
  // Stronger than the target and true today (STACK-NOTES §4): no inet socket at all.
  expect(sockets.map(describe), 'any TCP/UDP socket').toEqual([]);
});

test('index.html carries the strict CSP header and a plain load raises no violation', async ({ midc }) => {
  const { page } = midc;
  await page.addInitScript(() => {
    const w = globalThis as unknown as ProbeWindow;
    w.__violations = [];
    w.document.addEventListener('securitypolicyviolation', (e) => {
      w.__violations?.push({ blockedURI: e.blockedURI, directive: e.effectiveDirective });
    });
  });
  const auditBefore = auditRows(midc).length;
  const response = await page.reload({ waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
  expect(csp).not.toMatch(/https?:|wss?:|\*/);

  // Let the app render and settle before concluding nothing was violated.
  await expect.poll(() => page.evaluate(() => typeof (globalThis as unknown as ProbeWindow).api)).toBe('object');
  await page.waitForTimeout(1_000);
  expect(await page.evaluate(() => (globalThis as unknown as ProbeWindow).__violations)).toEqual([]);
  expect(auditRows(midc).slice(auditBefore).filter((r) => r.action === 'system:reportBlocked')).toEqual([]);
  expect(midc.blocked).toEqual([]);
});

test('a session that ends reaches the page as an event and clears its storage except the language', async () => {
  const midc = await launchInTemp();
  try {
    const { page, app } = midc;
    await page.evaluate(() => {
      const w = globalThis as unknown as ProbeWindow & { localStorage: { setItem(k: string, v: string): void } };
      w.localStorage.setItem('midc.lang', 'zh');
      w.localStorage.setItem('midc.lastView', 'inbox');
      w.__events = [];
      w.api.events.onSessionEnded((p) => w.__events?.push(`session:ended ${p.reason}`));
    });
    app.services.sessions.start(midc.host.senderId, { userId: 1, username: 'u', displayName: 'U', roles: [] });
    app.services.sessions.end(midc.host.senderId, 'logout');

    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as ProbeWindow).__events))
      .toEqual(['session:ended logout']);
    await expect
      .poll(() =>
        page.evaluate(() => Object.keys((globalThis as unknown as { localStorage: Record<string, string> }).localStorage)),
      )
      .toEqual(['midc.lang']);
  } finally {
    await midc.close();
  }
});
