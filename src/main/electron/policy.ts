/**
 * Every security decision of the Electron host, as pure functions (RELIABILITY §6: the
 * Electron binary does not run in CI, so decisions live here and are unit-tested; the wiring
 * in guards.ts / host.ts only calls them). Nothing in this file imports Electron at run time.
 */
import path from 'node:path';
import type { BrowserWindowConstructorOptions, Input } from 'electron';
import { ELECTRON_ORIGIN } from '../../shared/ipc-constants';

/** Scheme and host of the app origin, derived once from the shared constant. */
const APP = new URL(ELECTRON_ORIGIN);

function parseUrl(raw: string): URL | null {
  if (typeof raw !== 'string') return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * True when `raw` is a URL of our own origin (`midc://app/...`).
 *
 * Compared field by field, never with `startsWith` or `origin`: Node's URL reports the origin
 * of a custom scheme as "null", and prefix checks accept `midc://app.evil` or `midc://app@evil`.
 * Userinfo and ports are refused outright (our origin has neither). The host is compared
 * case-insensitively because Chromium canonicalises the host of a standard scheme (we register
 * `midc` as standard) to lower case before Electron sees it, while Node keeps a custom scheme's
 * host opaque: its non-ASCII characters arrive percent-encoded, so an IDN look-alike such as
 * `аpp` (Cyrillic а) can never compare equal.
 */
export function isAppUrl(raw: string): boolean {
  const url = parseUrl(raw);
  if (!url) return false;
  return (
    url.protocol === APP.protocol &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    url.hostname.toLowerCase() === APP.hostname
  );
}

/**
 * Whether a frame may navigate to `url` (will-navigate, will-redirect, will-frame-navigate).
 * Only our own origin: no `javascript:`, `data:`, `blob:`, `file:` or remote page may replace
 * the app document (Electron checklist 13, RELIABILITY target 10).
 */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Whether the session guard cancels a request (RELIABILITY target 7). Allowed:
 * - our own origin, which the protocol handler serves from the bundle;
 * - `data:` URLs: their content is inside the URL, so nothing leaves the process. They are
 *   needed because the CSP admits `img-src data:` (ag-grid's theme icons are data: SVGs);
 *   a data: document can still never be navigated to (isAllowedNavigation refuses it);
 * - `blob:` URLs created by our origin (`blob:midc://app/<uuid>`): in-memory objects of the
 *   same document, needed for the DICOM decoder's blob worker (`worker-src blob:`) and the
 *   Blob → <img> decode path (STACK-NOTES §7). A blob: URL of any other origin is cancelled.
 * Everything else is cancelled, including `devtools:`, `file:`, `ws:` and every remote scheme.
 */
export function shouldCancelRequest(raw: string): boolean {
  const url = parseUrl(raw);
  if (!url) return true;
  if (url.protocol === 'data:') return false;
  if (url.protocol === 'blob:') return !isAppUrl(url.pathname);
  return !isAppUrl(raw);
}

/**
 * Switches that open a debugger port, turn off the sandbox or loosen web security. No fuse
 * disables the Chromium ones (electron/fuses#2), so the main process refuses to start with
 * them (RELIABILITY §1.2, target 4). Names are compared after normalising: lower case (Chromium
 * folds switch case on Windows), `_` → `-` (Node treats them as the same character in flags).
 */
const FORBIDDEN_SWITCHES: ReadonlySet<string> = new Set([
  'remote-debugging-port',
  'remote-debugging-pipe',
  // Only meaningful together with the two above, but never wanted either.
  'remote-debugging-address',
  'remote-allow-origins',
  // Node's old alias of --inspect-port, and the removed legacy debugger flags.
  'debug-port',
  'debug',
  'debug-brk',
  // Hands raw flags to V8 (e.g. --allow-natives-syntax, --expose-gc).
  'js-flags',
  'disable-web-security',
  'allow-running-insecure-content',
  'disable-site-isolation-trials',
  // Runs renderers inside the browser process: no sandbox boundary at all.
  'single-process',
]);

function isForbiddenSwitch(name: string): boolean {
  if (FORBIDDEN_SWITCHES.has(name)) return true;
  // --inspect, --inspect-brk, --inspect-port, --inspect-wait, --inspect-publish-uid, ...
  if (name.startsWith('inspect')) return true;
  // --no-sandbox, --disable-sandbox, --disable-gpu-sandbox, --disable-setuid-sandbox, ...
  return /^(no|disable)-.*sandbox$/.test(name);
}

/** Longest piece of an offending argument kept for the audit entry / stderr. */
const MAX_REPORTED_ARG = 200;

/**
 * The arguments in `argv` that must stop the app from starting, as given (truncated), in
 * order. Accepts the `=` and the space form (`--remote-debugging-port 9222`: the switch itself
 * is the offender), any case, `--` and `-` prefixes (Chromium accepts both on every platform)
 * and `/` on Windows. Arguments after a bare `--` are still checked: a false positive only
 * refuses to start, a false negative opens a debugger.
 */
export function checkArgv(argv: readonly string[], platform: NodeJS.Platform = process.platform): string[] {
  const offending: string[] = [];
  for (const arg of argv) {
    if (typeof arg !== 'string') continue;
    const match = /^(--|-|\/)(.+)$/s.exec(arg.trim());
    if (!match) continue;
    const [, prefix, rest = ''] = match;
    if (prefix === '/' && platform !== 'win32') continue;
    const name = (rest.split('=', 1)[0] ?? '').toLowerCase().replace(/_/g, '-');
    if (isForbiddenSwitch(name)) offending.push(arg.slice(0, MAX_REPORTED_ARG));
  }
  return offending;
}

/** What the launcher asked for, besides Chromium's own switches. */
export interface HostArgs {
  /** `--kiosk`: full-screen kiosk window (shared workstations). */
  readonly kiosk: boolean;
  /** `--workspace DIR` or `--workspace=DIR`; null for the default location. */
  readonly workspaceDir: string | null;
}

/** Reads our own flags from argv. The last `--workspace` wins, like most CLIs. */
export function parseHostArgs(argv: readonly string[]): HostArgs {
  let kiosk = false;
  let workspaceDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--kiosk') kiosk = true;
    else if (arg === '--workspace') {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        workspaceDir = next;
        i++;
      }
    } else if (arg?.startsWith('--workspace=')) {
      const value = arg.slice('--workspace='.length);
      if (value !== '') workspaceDir = value;
    }
  }
  return { kiosk, workspaceDir };
}

export interface WindowOptionsInput {
  /** Absolute path of our built preload, `<out>/preload/index.js`; nothing else is accepted. */
  readonly preload: string;
  readonly kiosk: boolean;
  /** Packaged build: no DevTools. */
  readonly production: boolean;
}

/**
 * The options of every MIDC window (RELIABILITY target 1; checklist 2, 3, 4, 6, 8, 9, 10, 11).
 * Each security-relevant preference is spelled out even where it is Electron's default, so a
 * change of default (or of this file) shows in the test of the whole object. The preload must
 * be our own bundle: a factory that accepted any path would let a caller hand Node-capable code
 * to the page's process.
 */
export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const preload = input.preload;
  if (!path.isAbsolute(preload) || !preload.endsWith(path.join('preload', 'index.js'))) {
    throw new Error(`refusing preload ${preload}: only <out>/preload/index.js is allowed`);
  }
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    title: 'MIDC',
    // Shown on ready-to-show, so nobody sees an empty frame.
    show: false,
    backgroundColor: '#ffffff',
    kiosk: input.kiosk,
    fullscreen: input.kiosk,
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: !input.production,
      // The Linux/Windows spellchecker downloads Hunspell dictionaries from a Google CDN:
      // an outbound request we do not want even attempted on an air-gapped site.
      spellcheck: false,
      // Dropping a file on the window would navigate to file:// (denied anyway; belt and braces).
      navigateOnDragDrop: false,
      // A page cannot lock the person out with an alert() loop.
      safeDialogs: true,
    },
  };
}

/**
 * Permission requests (camera, notifications, HID, ...) are all refused: an offline imaging
 * app needs none, and a check handler is needed too, or `navigator.permissions.query` and
 * some APIs still see "granted" (checklist 5, RELIABILITY target 11).
 */
export function denyPermissionRequest(
  _webContents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

/** The synchronous half of the permission handling: always false. */
export function denyPermissionCheck(_webContents: unknown, _permission: string): boolean {
  return false;
}

/** Device (HID/serial/USB) access: always false. */
export function denyDevicePermission(): boolean {
  return false;
}

/** The subset of Electron's `Input` the shortcut filter looks at. */
export type KeyInput = Pick<Input, 'key' | 'code' | 'control' | 'meta' | 'shift' | 'alt'>;

/**
 * Keys that open DevTools or reload the page, blocked in production (before-input-event also
 * suppresses the default menu's accelerators). `code` is checked as well as `key` so a
 * non-Latin keyboard layout (where KeyI types "ш") cannot slip through.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  const key = input.key.toLowerCase();
  const letter = /^Key([A-Z])$/.exec(input.code)?.[1]?.toLowerCase() ?? key;
  const is = (k: string) => key === k || letter === k;
  const mod = input.control || input.meta;
  if (key === 'f12' || input.code === 'F12') return true;
  if (key === 'f5' || input.code === 'F5') return true;
  if (mod && is('r')) return true;
  if (mod && (input.shift || input.alt) && (is('i') || is('j') || is('c'))) return true;
  return false;
}

/**
 * Fixed-window limiter for audit entries of blocked requests: a page stuck in a fetch loop
 * must not fill the audit log (and the disk). The first `limit` events of each window pass;
 * the first one of the next window carries how many were dropped.
 */
export function createRateLimiter(limit: number, windowMs: number, now: () => number) {
  let windowStart = -Infinity;
  let count = 0;
  let suppressed = 0;
  return (): { allowed: boolean; suppressed: number } => {
    const t = now();
    if (t - windowStart >= windowMs) {
      windowStart = t;
      count = 0;
    }
    if (count < limit) {
      count++;
      const dropped = suppressed;
      suppressed = 0;
      return { allowed: true, suppressed: dropped };
    }
    suppressed++;
    return { allowed: false, suppressed };
  };
}
