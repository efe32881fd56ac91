import { BYTES_KEY, PACKED_PLAIN, PACKED_WITH_BYTES } from './ipc-constants';

/** Chromium 140+ decodes base64 natively (~5x faster than atob and a loop on a 512 KB image). */
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64;

function fromBase64(text: string): Uint8Array {
  if (typeof nativeFromBase64 === 'function') return nativeFromBase64.call(Uint8Array, text);
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function revive(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const bytes = (value as Record<string, unknown>)[BYTES_KEY];
    if (typeof bytes === 'string' && Object.keys(value).length === 1) return fromBase64(bytes);
  }
  return value;
}

/** The value a Chromium-host result packed by `packForPage` stood for; anything else as it is. */
export function unpackResult(result: unknown): unknown {
  if (typeof result !== 'string') return result;
  if (result.startsWith(PACKED_PLAIN)) return JSON.parse(result.slice(1)) as unknown;
  if (result.startsWith(PACKED_WITH_BYTES)) return JSON.parse(result.slice(1), revive) as unknown;
  throw new Error('unexpected result from the Chromium host');
}
