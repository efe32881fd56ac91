/**
 * Thin adapters that attach the decisions of policy.ts to Electron sessions and web contents.
 * Type-only Electron imports: the objects are handed in, so tests pass fakes.
 */
import type { Event, Input, Session, WebContents } from 'electron';
import {
  denyDevicePermission,
  denyPermissionCheck,
  denyPermissionRequest,
  isAllowedNavigation,
  isBlockedShortcut,
  shouldCancelRequest,
} from './policy';

/** What the guards report when they refuse something; the host turns it into an audit entry. */
export interface BlockedEvent {
  readonly kind: 'request' | 'navigation' | 'window-open' | 'webview';
  readonly url: string;
  readonly resourceType?: string;
  readonly method?: string;
}

export type BlockedSink = (event: BlockedEvent) => void;

/**
 * Sessions already guarded. "Only the last attached listener will be used" by webRequest
 * (RELIABILITY §1.4), and `session-created` also fires for the default session, so the guard
 * must be idempotent: one listener, one owner.
 */
const guardedSessions = new WeakSet<object>();

/**
 * Installs the network and permission guard on one session: every request whose URL
 * `shouldCancelRequest` refuses is cancelled and reported; every permission and device request
 * or check is denied; the spellchecker (which downloads dictionaries) is off. Returns false
 * when the session was already guarded.
 */
export function installSessionGuard(ses: Session, onBlocked: BlockedSink): boolean {
  if (guardedSessions.has(ses)) return false;
  guardedSessions.add(ses);
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    const cancel = shouldCancelRequest(details.url);
    if (cancel) {
      try {
        onBlocked({ kind: 'request', url: details.url, resourceType: details.resourceType, method: details.method });
      } catch (err) {
        console.error('[guard] could not report a blocked request', err);
      }
    }
    // Always answer: a listener that never calls back stalls the request forever.
    callback({ cancel });
  });
  ses.setPermissionRequestHandler(denyPermissionRequest);
  ses.setPermissionCheckHandler(denyPermissionCheck);
  ses.setDevicePermissionHandler(denyDevicePermission);
  ses.setSpellCheckerEnabled(false);
  return true;
}

export interface WebContentsGuardOptions {
  /** Packaged build: DevTools and reload shortcuts are blocked. */
  readonly production: boolean;
  readonly onBlocked: BlockedSink;
}

/**
 * Locks down one web contents (every one: windows, and anything Chromium creates): navigation
 * and redirects only within our origin, no new windows, no webviews (checklist 11–14,
 * RELIABILITY target 10); in production no DevTools or reload shortcuts.
 */
export function guardWebContents(contents: WebContents, options: WebContentsGuardOptions): void {
  const denyForeign = (kind: BlockedEvent['kind']) => (event: { url: string; preventDefault(): void }) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    options.onBlocked({ kind, url: event.url });
  };
  // Electron ≥ 25 passes an Event carrying the details (url, isMainFrame, frame) first.
  contents.on('will-navigate', denyForeign('navigation'));
  contents.on('will-frame-navigate', denyForeign('navigation'));
  contents.on('will-redirect', denyForeign('navigation'));
  contents.setWindowOpenHandler((details) => {
    options.onBlocked({ kind: 'window-open', url: details.url });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event: Event, _prefs: unknown, params: Record<string, string>) => {
    event.preventDefault();
    options.onBlocked({ kind: 'webview', url: params.src ?? '' });
  });
  if (options.production) {
    contents.on('before-input-event', (event: Event, input: Input) => {
      if (isBlockedShortcut(input)) event.preventDefault();
    });
    // devTools:false already refuses; this covers any contents not built by our factory.
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
}

/** Storage the renderer may have filled during a session; cleared when the session ends. */
export const SESSION_STORAGES = ['localstorage', 'indexdb', 'cachestorage', 'serviceworkers', 'filesystem'] as const;

/**
 * The renderer's language choice (`LANGUAGE_STORAGE_KEY` in src/renderer/src/i18n; main may
 * not import renderer code, so the key is repeated here) and the values it may take.
 */
const LANGUAGE_KEY = 'midc.lang';
const LANGUAGES: readonly string[] = ['en', 'zh-CN'];

/**
 * Clears what a logged-out session left in the window's storage (HIPAA automatic logoff:
 * nothing of the previous person's work stays readable), keeping only the language choice,
 * which is a workstation setting and not PHI. The language is read and written back through
 * the page and accepted only if it is one of the known values, so a page cannot use this to
 * persist anything else.
 */
export async function clearSessionStorage(contents: WebContents): Promise<void> {
  let language: string | null = null;
  try {
    const value: unknown = await contents.executeJavaScript(`localStorage.getItem(${JSON.stringify(LANGUAGE_KEY)})`);
    if (typeof value === 'string' && LANGUAGES.includes(value)) language = value;
  } catch {
    // The page is gone or mid-navigation: clear anyway, the language resets to the default.
  }
  await contents.session.clearStorageData({ storages: [...SESSION_STORAGES] });
  if (language !== null && !contents.isDestroyed()) {
    await contents
      .executeJavaScript(`localStorage.setItem(${JSON.stringify(LANGUAGE_KEY)}, ${JSON.stringify(language)})`)
      .catch(() => undefined);
  }
}
