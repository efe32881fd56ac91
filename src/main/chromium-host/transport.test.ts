import { describe, expect, it } from 'vitest';
import { unpackResult } from '../../shared/packed-result';
import { packForPage } from './transport';

describe('Chromium host transport', () => {
  it('sends a plain result as one JSON string that unpacks to the same value', () => {
    const result = { ok: true, value: { rows: [{ imageId: 1, trueClass: 'a', outcomes: { 2: 'tp' }, predicted: { 2: null } }], n: -0.5, flag: false, empty: [] } };
    const packed = packForPage(result);
    expect(packed).toMatch(/^J\{/);
    expect(unpackResult(packed)).toEqual(result);
  });

  it('sends bytes (Uint8Array or Buffer) as base64 that unpack to a Uint8Array with the same bytes', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
    const view = new Uint8Array(bytes.buffer, 5, 1000);
    const result = { ok: true, value: { kind: 'dicom', bytes, view, buffer: Buffer.from([1, 2, 255]), pixelSpacing: [0.5, 0.5] } };
    const packed = packForPage(result);
    expect(packed).toMatch(/^B\{/);
    const back = unpackResult(packed) as { value: { bytes: Uint8Array; view: Uint8Array; buffer: Uint8Array; pixelSpacing: number[] } };
    expect(back.value.bytes).toBeInstanceOf(Uint8Array);
    expect([...back.value.bytes]).toEqual([...bytes]);
    expect([...back.value.view]).toEqual([...view]);
    expect([...back.value.buffer]).toEqual([1, 2, 255]);
    expect(back.value.pixelSpacing).toEqual([0.5, 0.5]);
  });

  it('leaves a result JSON would alter as it is: dates, NaN, Infinity, undefined, maps, other typed arrays, the bytes key', () => {
    for (const value of [new Date(0), Number.NaN, Number.POSITIVE_INFINITY, undefined, new Map([[1, 2]]), [1, undefined], new Int16Array([1]), { __midcBytes: 'x' }]) {
      const result = { ok: true, value: { nested: { value } } };
      expect(packForPage(result)).toBe(result);
    }
    expect(unpackResult(packForPage({ ok: true, value: new Date(0) }))).toEqual({ ok: true, value: new Date(0) });
  });
});
