import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { runCli } from '../../src/main/cli/run';
import { DEMO_PASSWORD } from '../../src/main/demo/demo';
import { expect } from './fixtures';

/** Logs in through the login form and waits for the shell (the demo users' password by default). */
export async function login(page: Page, username: string, password: string = DEMO_PASSWORD): Promise<void> {
  await expect(page.getByTestId('login-form')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('shell')).toBeVisible({ timeout: 15_000 });
}

/** A fresh temp workspace made by `midc init --demo` (users of every role, demo data and runs). */
export async function demoWorkspace(name: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `midc-e2e-${name}-`));
  let err = '';
  const code = await runCli(['init', '--demo', '--workspace', dir, '--json'], { stdout: () => undefined, stderr: (t) => void (err += t) });
  if (code !== 0) throw new Error(`midc init --demo failed (${code}): ${err}`);
  return dir;
}
