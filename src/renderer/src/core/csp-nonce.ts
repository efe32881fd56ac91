/**
 * The per-document nonce the host put into `<meta name="csp-nonce">`. Styles added at run time
 * (ag-grid's theme) must carry it: the CSP allows only 'self' and this nonce (src/main/security/csp.ts).
 */
let cached: string | undefined;

export function cspNonce(doc: Document = document): string | undefined {
  if (cached !== undefined) return cached;
  const value = doc.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
  // The unreplaced placeholder means no host filled it in (unit tests): no nonce then.
  cached = value && !value.startsWith('__') ? value : undefined;
  return cached;
}
