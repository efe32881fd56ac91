import { describe, expect, it } from 'vitest';
import { packForPage } from './transport';

describe('Chromium host transport', () => {
  it('sends a plain result as one JSON string that parses back to the same value', () => {
    const result = { ok: true, value: { rows: [{ imageId: 1, trueClass: 'a', outcomes: { 2: 'tp' }, predicted: { 2: null } }], n: -0.5, flag: false, empty: [] } };
    const packed = packForPage(result);
    expect(typeof packed).toBe('string');
    expect(JSON.parse(packed as string)).toEqual(result);
  });

  it('leaves a result JSON would alter as it is: binary, dates, NaN, Infinity, undefined, maps', () => {
    for (const value of [new Uint8Array([1, 2, 3]), new Date(0), Number.NaN, Number.POSITIVE_INFINITY, undefined, new Map([[1, 2]]), [1, undefined]]) {
      const result = { ok: true, value: { nested: { value } } };
      expect(packForPage(result)).toBe(result);
    }
    const bytes = { ok: true, value: new Uint8Array([9]) };
    expect(packForPage(bytes)).toBe(bytes);
  });
});
