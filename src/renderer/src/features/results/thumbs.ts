import { resultsApi } from './api';

type Bytes = Uint8Array | ArrayBuffer | readonly number[];

/** Bytes as they arrive over either host's IPC (Uint8Array, ArrayBuffer or a plain array) into a Blob. */
export function bytesToBlob(bytes: Bytes, type: string): Blob {
  const array = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : Uint8Array.from(bytes);
  // A copy into a fresh ArrayBuffer: Blob wants plain (non-shared) buffers.
  return new Blob([array.slice()], { type });
}

/**
 * Thumbnails of the drill-down as blob: URLs (the CSP allows img-src blob:), fetched once per
 * image and shared by every tile and row; `dispose()` frees them when the image set closes.
 */
export class ThumbCache {
  private readonly urls = new Map<number, Promise<string | null>>();
  private readonly created: string[] = [];
  private disposed = false;

  constructor(private readonly fetchBytes: (id: number) => Promise<Bytes | null> = defaultFetch) {}

  get(id: number): Promise<string | null> {
    let url = this.urls.get(id);
    if (!url) {
      url = this.fetchBytes(id).then((bytes) => {
        if (!bytes || this.disposed) return null;
        const created = URL.createObjectURL(bytesToBlob(bytes, 'image/png'));
        this.created.push(created);
        return created;
      });
      this.urls.set(id, url);
    }
    return url;
  }

  dispose(): void {
    this.disposed = true;
    for (const url of this.created) URL.revokeObjectURL(url);
    this.created.length = 0;
    this.urls.clear();
  }
}

async function defaultFetch(id: number): Promise<Bytes | null> {
  // A missing thumbnail is not worth a toast per tile: the tile shows a placeholder.
  const result = await resultsApi.thumbnail(id);
  return result.ok ? result.value : null;
}
