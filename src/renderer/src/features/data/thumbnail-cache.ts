import { dataApi } from './api';

type Bytes = Uint8Array | ArrayBuffer | readonly number[];

function toBlob(bytes: Bytes): Blob {
  const array = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes as ArrayBuffer);
  // A copy into a fresh ArrayBuffer: Blob wants plain (non-shared) buffers.
  return new Blob([array.slice()], { type: 'image/png' });
}

/**
 * Thumbnails as blob: URLs (the CSP allows img-src blob:), fetched once per image and shared by
 * every cell that shows it. The owner calls `dispose()` on unmount to free the blobs.
 */
export class ThumbnailCache {
  private readonly urls = new Map<number, Promise<string | null>>();
  private readonly created: string[] = [];
  private disposed = false;

  constructor(private readonly fetchBytes: (id: number) => Promise<Bytes | null> = defaultFetch) {}

  /** The URL of an image's thumbnail, or null when it has none (not decodable) or it failed. */
  get(id: number): Promise<string | null> {
    let url = this.urls.get(id);
    if (!url) {
      url = this.fetchBytes(id).then((bytes) => {
        if (!bytes || this.disposed) return null;
        const created = URL.createObjectURL(toBlob(bytes));
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
  // A missing thumbnail is not worth a toast per row: the cell shows a placeholder.
  const result = await dataApi.thumbnail(id);
  return result.ok ? result.value : null;
}
