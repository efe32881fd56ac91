/**
 * The Playwright fixture every e2e test uses: a fresh temp workspace and a headless Chromium
 * host on it per test, closed (and the workspace removed) afterwards. The built app is used
 * (out/renderer, out/preload/chromium.js): run `npx electron-vite build` first (`npm test`
 * does).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';
import type { App } from '../../src/main/app';
import type { Clock } from '../../src/main/auth/sessions';
import { launchChromiumHost, type BlockedRequest, type ChromiumHost } from '../../src/main/chromium-host/host';

export type { BlockedRequest } from '../../src/main/chromium-host/host';

const ROOT = path.resolve(__dirname, '../..');
export const RENDERER_DIR = path.join(ROOT, 'out', 'renderer');
export const PRELOAD_FILE = path.join(ROOT, 'out', 'preload', 'chromium.js');

export interface MidcHost {
  page: Page;
  app: App;
  workspaceDir: string;
  blocked: BlockedRequest[];
  restart(): Promise<void>;
}

/** A host on a temp workspace; `page`, `app`, `blocked` and `host` follow restarts. */
export interface TempHost extends MidcHost {
  readonly host: ChromiumHost;
  /** Closes the host and removes the workspace (unless `keepWorkspace`). Safe to call twice. */
  close(): Promise<void>;
}

export interface LaunchInTempOptions {
  /** Reuse this folder instead of a fresh temp one (it is then never removed). */
  workspaceDir?: string;
  keepWorkspace?: boolean;
  headless?: boolean;
  clock?: Clock;
}

/**
 * Launches a host outside the fixture, for tests that need two hosts (two people, one
 * workspace) or full control over restarts. The caller must `close()` it.
 */
export async function launchInTemp(options: LaunchInTempOptions = {}): Promise<TempHost> {
  const workspaceDir = options.workspaceDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'midc-e2e-'));
  const removeDir = options.workspaceDir === undefined && !options.keepWorkspace;
  const launch = () =>
    launchChromiumHost({
      workspaceDir,
      headless: options.headless ?? true,
      rendererDir: RENDERER_DIR,
      preloadFile: PRELOAD_FILE,
      ...(options.clock ? { clock: options.clock } : {}),
    });

  let host: ChromiumHost | null = await launch();
  const current = (): ChromiumHost => {
    if (!host) throw new Error('the MIDC host is closed');
    return host;
  };
  return {
    workspaceDir,
    get host() {
      return current();
    },
    get page() {
      return current().page;
    },
    get app() {
      return current().app;
    },
    get blocked() {
      return current().blocked;
    },
    async restart() {
      const old = current();
      host = null;
      await old.close();
      host = await launch();
    },
    async close() {
      const old = host;
      host = null;
      if (old) await old.close();
      if (removeDir) fs.rmSync(workspaceDir, { recursive: true, force: true });
    },
  };
}

export const test = base.extend<{ midc: MidcHost }>({
  // Playwright requires the fixtures argument to be destructured, even when none is used.
  // eslint-disable-next-line no-empty-pattern
  midc: async ({}, use) => {
    const host = await launchInTemp();
    try {
      await use(host);
    } finally {
      await host.close();
    }
  },
});

export { expect } from '@playwright/test';
