import type { Sender } from '../ipc/sender';

/**
 * Whether a request is for the app bundle. Compared on the parsed origin, so
 * `https://midc.invalid@evil.example/` or `https://midc.invalid.evil.example/` are not ours.
 * Userinfo is refused outright: the app never puts credentials in its own URLs.
 */
export function isAppUrl(url: string, appOrigin: string): boolean {
  const parsed = parseUrl(url);
  // Scheme and host of the URL itself: `origin` of a blob: URL is its creator's, ours.
  if (parsed === null || parsed.username !== '' || parsed.password !== '') return false;
  return `${parsed.protocol}//${parsed.host}` === appOrigin;
}

/** The pathname of an app URL, still percent-encoded: resolveBundlePath decodes and checks it. */
export function appPathname(url: string): string {
  return parseUrl(url)?.pathname ?? '/';
}

/**
 * Origin of a calling frame, or null when its URL says nothing usable (about:blank, a
 * detached frame's empty URL). `"null"` (an opaque origin) stays a string and never equals ours.
 */
export function frameOrigin(frameUrl: string): string | null {
  return parseUrl(frameUrl)?.origin ?? null;
}

/** What the registry is told about a binding call: the page's id, the frame's origin and rank. */
export function senderOf(pageId: string, frameUrl: string, isMainFrame: boolean): Sender {
  return { id: pageId, origin: frameOrigin(frameUrl), isMainFrame };
}

/**
 * The built preload is a plain script whose top-level `var`s and functions would become
 * properties of `window`; a function scope keeps everything but `window.api` private.
 */
export function wrapInitScript(code: string): string {
  return `(function () {\n${code}\n})();`;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
