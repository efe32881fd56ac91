/**
 * The Content-Security-Policy every renderer document is served with, as a response header
 * (RELIABILITY §1.3: a <meta> CSP silently ignores frame-ancestors). No remote origin, no
 * 'unsafe-inline', no 'unsafe-eval'. `wasm-unsafe-eval` is for the WASM image codecs;
 * `worker-src blob:` because the DICOM loader starts its decoder as a blob worker and hangs
 * silently without it (STACK-NOTES §3). Styles injected at run time (ag-grid) carry the
 * per-document nonce.
 */
export function cspHeader(styleNonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(styleNonce)) throw new Error('CSP nonce must be 16+ base64 characters');
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `style-src 'self' 'nonce-${styleNonce}'`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self' blob: data:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The placeholder in index.html that the hosts replace with the document's nonce. */
export const NONCE_PLACEHOLDER = '__MIDC_CSP_NONCE__';
