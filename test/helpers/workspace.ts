import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/main/app';
import type { Clock } from '../../src/main/auth/sessions';
import type { Sender } from '../../src/main/ipc/sender';

export const TEST_ORIGIN = 'https://midc.invalid';

/** A fresh temp folder, removed by the returned function. */
export function tempDir(prefix = 'midc-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export class FakeClock implements Clock {
  constructor(public t = Date.parse('2026-11-22T08:00:00.000Z')) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** An app on a temp workspace, as a host would compose it. */
export function testApp(options: { clock?: Clock } = {}): { app: App; dir: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const app = createApp({ workspaceDir: dir, host: 'chromium', appOrigin: TEST_ORIGIN, ...options });
  return {
    app,
    dir,
    cleanup: () => {
      app.close();
      cleanup();
    },
  };
}

/** A window of our origin; `id` distinguishes sessions. */
export function sender(id = 'window-1'): Sender {
  return { id, origin: TEST_ORIGIN, isMainFrame: true };
}
