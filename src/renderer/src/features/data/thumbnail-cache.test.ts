import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThumbnailCache } from './thumbnail-cache';

describe('thumbnail cache', () => {
  afterEach(() => vi.restoreAllMocks());

  it('fetches each thumbnail once, shares its URL and revokes them all on dispose', async () => {
    let n = 0;
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation(() => `blob:test/${++n}`);
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const fetchBytes = vi.fn(async (id: number) => (id === 3 ? null : new Uint8Array([137, 80, 78, 71])));
    const cache = new ThumbnailCache(fetchBytes);

    const [a, b, none] = await Promise.all([cache.get(1), cache.get(1), cache.get(3)]);
    expect(a).toBe('blob:test/1');
    expect(b).toBe(a);
    expect(none).toBeNull();
    expect(fetchBytes).toHaveBeenCalledTimes(2);
    expect(create).toHaveBeenCalledTimes(1);

    cache.dispose();
    expect(revoke).toHaveBeenCalledWith('blob:test/1');
  });
});
