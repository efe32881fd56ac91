/**
 * The window factory: the only module that constructs a BrowserWindow (ESLint enforces it,
 * RELIABILITY target 1), so every window gets the options of `windowOptions` and nothing else.
 */
import path from 'node:path';
import { BrowserWindow } from 'electron';
import { windowOptions } from './policy';

/** Where the built preload and renderer sit relative to the built main file (`out/main`). */
export interface BuildLayout {
  readonly preload: string;
  readonly rendererDir: string;
}

/** Paths of the sibling bundles of `out/main/index.js` (works inside app.asar too). */
export function buildLayout(mainDir: string): BuildLayout {
  return {
    preload: path.join(mainDir, '..', 'preload', 'index.js'),
    rendererDir: path.join(mainDir, '..', 'renderer'),
  };
}

export interface MainWindowOptions {
  readonly preload: string;
  readonly kiosk: boolean;
  readonly production: boolean;
}

/** Creates the MIDC window (hidden until its first paint is ready). */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow(windowOptions(options));
  win.once('ready-to-show', () => win.show());
  return win;
}
