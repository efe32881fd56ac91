/**
 * The Chromium host (DESIGN §6): the same main-process app and renderer bundle as the Electron
 * product, run in the system Chromium for machines without the Electron runtime (this
 * project's CI, offline build machines). Playwright talks to the browser over its debugging
 * pipe, so no port is opened; the bundle is served by request interception, so there is no
 * HTTP server; everything that is not the bundle is aborted and audited.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Route, type WebSocketRoute } from 'playwright-core';
import { CHROMIUM_EVENT_HOOK, CHROMIUM_INVOKE_BINDING, CHROMIUM_ORIGIN } from '../../shared/ipc-constants';
import { createApp, type App } from '../app';
import type { Clock } from '../auth/sessions';
import { serveBundle } from '../security/serve';
import { appPathname, isAppUrl, senderOf, wrapInitScript } from './origin';
import { packForPage } from './transport';

export interface ChromiumHostOptions {
  readonly workspaceDir: string;
  readonly headless: boolean;
  /** The built renderer (out/renderer). Defaults to the folder beside the built host. */
  readonly rendererDir?: string;
  /** The built Chromium preload (out/preload/chromium.js). */
  readonly preloadFile?: string;
  readonly executablePath?: string;
  readonly clock?: Clock;
}

export interface BlockedRequest {
  readonly url: string;
  /** Playwright's resource type (`fetch`, `image`, `document`...) or `websocket`. */
  readonly resourceType: string;
}

export interface ChromiumHost {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly app: App;
  /** The IPC sender id of the page: sessions and events are keyed by it. */
  readonly senderId: string;
  readonly blocked: BlockedRequest[];
  close(): Promise<void>;
}

/** Kept in localStorage across sessions: the language picked on the login screen. */
const KEPT_STORAGE_KEYS = ['midc.lang'];

/** The slice of the page's Storage used here (src/main is compiled without the DOM types). */
interface PageStorage {
  removeItem(key: string): void;
}

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  // We run as root in CI and containers, where Chromium's sandbox cannot start.
  '--no-sandbox',
  '--disable-gpu',
  // No background traffic of the browser's own: updates, sync, safe-browsing lists, metrics.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-domain-reliability',
  '--no-pings',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromiumHost(options: ChromiumHostOptions): Promise<ChromiumHost> {
  // The built host lives in out/main; the bundle and preload sit beside it in out/.
  const rendererDir = options.rendererDir ?? path.resolve(__dirname, '../renderer');
  const preloadFile = options.preloadFile ?? path.resolve(__dirname, '../preload/chromium.js');
  for (const file of [path.join(rendererDir, 'index.html'), preloadFile]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the app first (npx electron-vite build).`);
  }
  const preload = wrapInitScript(fs.readFileSync(preloadFile, 'utf8'));

  const app = createApp({
    workspaceDir: options.workspaceDir,
    host: 'chromium',
    appOrigin: CHROMIUM_ORIGIN,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const blocked: BlockedRequest[] = [];
  let closed = false;

  const block = (url: string, resourceType: string): void => {
    blocked.push({ url, resourceType });
    process.stderr.write(`[midc] blocked ${resourceType} request to ${url}\n`);
    if (closed) return;
    try {
      app.services.audit.record(app.services.db, {
        action: 'security:blocked',
        outcome: 8,
        actorId: null,
        actorName: null,
        objectType: 'url',
        objectId: url.slice(0, 2000),
        details: { resourceType },
      });
    } catch (err) {
      console.error('[midc] could not audit a blocked request:', err);
    }
  };

  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: options.executablePath ?? process.env.MIDC_CHROMIUM ?? DEFAULT_CHROMIUM,
      headless: options.headless,
      args: CHROMIUM_ARGS,
      // The caller owns the signals (main.ts calls close(): browser, then database); Playwright's
      // own handlers would exit the process before the database is closed.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (err) {
    app.close();
    throw err;
  }

  try {
    const context = await browser.newContext({
      // No permission is ever granted; Playwright denies prompts for anything not listed.
      permissions: [],
      acceptDownloads: false,
      serviceWorkers: 'block',
      // Headed: the page follows the window size; headless: a laptop-sized screen.
      viewport: options.headless ? { width: 1280, height: 800 } : null,
    });

    await context.route('**/*', async (route: Route) => {
      const request = route.request();
      const url = request.url();
      if (isAppUrl(url, CHROMIUM_ORIGIN)) {
        let served;
        try {
          served = serveBundle(rendererDir, appPathname(url));
        } catch (err) {
          // An unanswered route would leave the request hanging forever.
          console.error(`[midc] could not serve ${url}:`, err);
          served = { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('Error') };
        }
        await route.fulfill({ status: served.status, headers: served.headers, body: served.body });
        return;
      }
      block(url, request.resourceType());
      // A navigation that is aborted commits Chromium's error page in place of the app; a 204
      // answer makes the browser stay on the current document (Electron: will-navigate).
      if (request.isNavigationRequest()) await route.fulfill({ status: 204, body: '' });
      else await route.abort('blockedbyclient');
    });
    // WebSockets bypass context.route; without this a socket the CSP let through (our own
    // origin's wss:) would try the network. Closing it without connectToServer() never dials.
    await context.routeWebSocket(
      () => true,
      (ws: WebSocketRoute) => {
        block(ws.url(), 'websocket');
        void ws.close({ code: 1008, reason: 'MIDC is offline' }).catch(() => undefined);
      },
    );

    const page = await context.newPage();
    // The app is one window: popups (window.open, target=_blank) are closed on sight.
    context.on('page', (extra) => {
      block(extra.url() || 'about:blank', 'popup');
      void extra.close().catch(() => undefined);
    });
    const pageId = `chromium-page-${process.pid}-1`;
    // Binding before the init script: the preload looks the binding up when it runs.
    // A plain-JSON result crosses as one string (see transport.ts); the preload parses it back.
    await page.exposeBinding(CHROMIUM_INVOKE_BINDING, async (source, channel: unknown, payload: unknown) =>
      packForPage(await app.dispatch(senderOf(pageId, source.frame.url(), source.frame === page.mainFrame()), channel, payload)),
    );
    await context.addInitScript({ content: preload });

    const detachEvents = app.services.events.attach(pageId, (name, payload) => {
      // Fails while the page navigates or closes; the renderer re-reads state on load.
      // (The callbacks below run in the page; globalThis is its window.)
      page
        .evaluate(
          ([hook, n, p]) => (globalThis as unknown as Record<string, (n: string, p: unknown) => void>)[hook]?.(n, p),
          [CHROMIUM_EVENT_HOOK, name, payload] as const,
        )
        .catch(() => undefined);
    });
    // Electron clears the window's storage when a session ends; here only localStorage exists
    // (no cookies, no service workers). The language stays so the login screen keeps it.
    const stopSessionWatch = app.services.sessions.onEnd((session) => {
      if (session.senderId !== pageId) return;
      page
        .evaluate((keep) => {
          const storage = (globalThis as unknown as { localStorage: PageStorage }).localStorage;
          for (const key of Object.keys(storage)) if (!keep.includes(key)) storage.removeItem(key);
        }, KEPT_STORAGE_KEYS)
        .catch(() => undefined);
    });

    await page.goto(`${CHROMIUM_ORIGIN}/`);

    return {
      browser,
      context,
      page,
      app,
      senderId: pageId,
      blocked,
      async close() {
        if (closed) return;
        closed = true;
        detachEvents();
        stopSessionWatch();
        await browser.close().catch(() => undefined);
        await app.shutdown();
      },
    };
  } catch (err) {
    closed = true;
    await browser.close().catch(() => undefined);
    app.close();
    throw err;
  }
}
