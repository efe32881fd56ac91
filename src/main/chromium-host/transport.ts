/**
 * How an IPC result crosses Playwright's binding to the page. Playwright serializes a returned
 * object value by value (a tagged tree over CDP): fine for small answers, but a 100k-row result
 * (~15 MB) took tens of seconds and a 512 KB image file hundreds of milliseconds. So a result
 * crosses as one JSON string that the Chromium preload parses back (`unpackInPage`), with
 * Uint8Array values as base64 under BYTES_KEY. Anything else JSON would alter — Dates, Maps,
 * NaN/Infinity, undefined, an object that already has BYTES_KEY — makes the result go the
 * Playwright way unchanged, as before. The Electron host is not affected (structured clone).
 *
 * Packed strings start with PLAIN ("J": JSON.parse alone) or WITH_BYTES ("B": parse with the
 * bytes reviver), so a large plain result is never walked by a reviver.
 */
import { BYTES_KEY, PACKED_PLAIN, PACKED_WITH_BYTES } from '../../shared/ipc-constants';

class NotPlainJson extends Error {}

/** The result as a packed string when JSON (+ base64 bytes) carries it exactly, else the value itself. */
export function packForPage(result: unknown): unknown {
  let bytes = false;
  function exact(this: unknown, key: string, value: unknown): unknown {
    const raw = key === '' ? value : (this as Record<string, unknown>)[key];
    switch (typeof raw) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        if (!Number.isFinite(raw)) throw new NotPlainJson();
        return value;
      case 'object': {
        if (raw === null || Array.isArray(raw)) return value;
        if (raw instanceof Uint8Array && raw.constructor !== Uint8Array && !Buffer.isBuffer(raw)) throw new NotPlainJson();
        if (raw instanceof Uint8Array) {
          bytes = true;
          return { [BYTES_KEY]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
        }
        const proto = Object.getPrototypeOf(raw) as unknown;
        if ((proto !== Object.prototype && proto !== null) || Object.hasOwn(raw, BYTES_KEY)) throw new NotPlainJson();
        return value;
      }
      default:
        // undefined, functions, symbols, bigint: JSON drops or refuses them.
        throw new NotPlainJson();
    }
  }
  try {
    const json = JSON.stringify(result, exact);
    return (bytes ? PACKED_WITH_BYTES : PACKED_PLAIN) + json;
  } catch (err) {
    if (err instanceof NotPlainJson) return result;
    throw err;
  }
}
