/**
 * How an IPC result crosses Playwright's binding to the page. Playwright serializes a returned
 * object value by value (a tagged tree over CDP), which is fine for small answers but takes
 * tens of seconds for a 100k-row result (~15 MB). A result that JSON represents exactly is
 * therefore sent as one JSON string, which the Chromium preload parses back; anything JSON
 * would alter — binary (Uint8Array), Dates, Maps, NaN/Infinity, undefined — goes the
 * Playwright way unchanged, as before. The Electron host is not affected (structured clone).
 */

class NotPlainJson extends Error {}

/** Throws NotPlainJson on the first value whose JSON round trip would differ from it. */
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
      const proto = Object.getPrototypeOf(raw) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new NotPlainJson();
      return value;
    }
    default:
      // undefined, functions, symbols, bigint: JSON drops or refuses them.
      throw new NotPlainJson();
  }
}

/** The result as a JSON string when JSON carries it exactly, else the value itself. */
export function packForPage(result: unknown): unknown {
  try {
    return JSON.stringify(result, exact);
  } catch (err) {
    if (err instanceof NotPlainJson) return result;
    throw err;
  }
}
