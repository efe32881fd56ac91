/**
 * The `midc:` scheme: the renderer bundle is served from here instead of `file://` (Electron
 * checklist 18: "pages running on file:// have unilateral access to every file"). Path
 * resolution, containment and the CSP header are in src/main/security, shared with the
 * Chromium host, so both hosts serve byte-identical documents with identical headers.
 */
import type { CustomScheme } from 'electron';
import { ELECTRON_SCHEME } from '../../shared/ipc-constants';
import { serveBundle, type ServedResponse } from '../security/serve';
import { isAppUrl } from './policy';

/**
 * Privileges of our scheme, registered before `ready`. `standard` gives it real origins (so
 * `senderFrame.origin` is `midc://app` and same-origin rules apply), `secure` makes it a
 * secure context (crypto.subtle, no mixed-content downgrade), `supportFetchAPI` lets the page
 * fetch its own assets. Nothing else: no CORS, no service workers, no CSP bypass.
 */
export const APP_SCHEMES: readonly CustomScheme[] = [
  { scheme: ELECTRON_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
];

function textResponse(status: number, text: string): ServedResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(text) };
}

/**
 * The answer to one request on our scheme. Only GET/HEAD of `midc://app/...`: another host
 * under the same scheme (`midc://evil/`) is a different origin and gets nothing, so a page
 * can never mint a second origin that shares our files.
 */
export function appProtocolResponse(rendererDir: string, method: string, url: string): ServedResponse {
  if (!isAppUrl(url)) return textResponse(404, 'Not found');
  const upper = method.toUpperCase();
  if (upper !== 'GET' && upper !== 'HEAD') return textResponse(405, 'Method not allowed');
  const served = serveBundle(rendererDir, new URL(url).pathname);
  return upper === 'HEAD' ? { ...served, body: Buffer.alloc(0) } : served;
}

/** The `protocol.handle` callback for our scheme, over `appProtocolResponse`. */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Response {
  return (request) => {
    let served: ServedResponse;
    try {
      served = appProtocolResponse(rendererDir, request.method, request.url);
    } catch (err) {
      // An fs error (file vanished between realpath and read) must not reject the handler:
      // Chromium would show a blank network-error page with no hint.
      console.error('[protocol] failed to serve', request.url, err);
      served = textResponse(500, 'Internal error');
    }
    return new Response(served.body.length === 0 ? null : new Uint8Array(served.body), {
      status: served.status,
      headers: served.headers,
    });
  };
}
