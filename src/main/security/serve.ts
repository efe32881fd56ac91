import crypto from 'node:crypto';
import fs from 'node:fs';
import { resolveBundlePath, mimeType } from './bundle-path';
import { cspHeader, NONCE_PLACEHOLDER } from './csp';

export interface ServedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * Serves one request for the renderer bundle, the same way in both hosts (Electron's
 * protocol.handle and the Chromium host's request interception). HTML documents get a fresh
 * style nonce and the CSP header; everything else is served as is.
 */
export function serveBundle(root: string, urlPath: string): ServedResponse {
  const file = resolveBundlePath(root, urlPath);
  if (!file) {
    return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('Not found') };
  }
  const type = mimeType(file);
  const headers: Record<string, string> = {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
  let body = fs.readFileSync(file);
  if (type.startsWith('text/html')) {
    const nonce = crypto.randomBytes(18).toString('base64');
    body = Buffer.from(body.toString('utf8').split(NONCE_PLACEHOLDER).join(nonce));
    headers['content-security-policy'] = cspHeader(nonce);
    headers['referrer-policy'] = 'no-referrer';
  }
  return { status: 200, headers, body };
}
