import type { ReadableDB } from '../db/types';

/**
 * Matches the image keys of an imported file to the images of a dataset: a key may be the
 * image's SOP Instance UID, the SHA-256 of its bytes, or its original file name (with or
 * without a folder). Only images of the dataset are candidates, so a file name that repeats
 * elsewhere in the store does not matter; one that repeats inside the dataset is ambiguous.
 */
export class ImageKeyIndex {
  private readonly bySha = new Map<string, number>();
  private readonly bySop = new Map<string, number[]>();
  private readonly byName = new Map<string, number[]>();

  constructor(db: ReadableDB, imageIds: readonly number[]) {
    const rows = db
      .prepare('SELECT id, sha256, sop_instance_uid, original_name FROM images WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(imageIds)) as { id: number; sha256: string; sop_instance_uid: string | null; original_name: string }[];
    const add = (map: Map<string, number[]>, key: string, id: number) => {
      const list = map.get(key);
      if (list) list.push(id);
      else map.set(key, [id]);
    };
    for (const r of rows) {
      this.bySha.set(r.sha256, r.id);
      if (r.sop_instance_uid) add(this.bySop, r.sop_instance_uid, r.id);
      add(this.byName, r.original_name, r.id);
    }
  }

  /** The image of a key, or why there is none. */
  resolve(key: string): { imageId: number } | { problem: string } {
    const k = key.trim();
    if (/^[0-9a-fA-F]{64}$/.test(k)) {
      const id = this.bySha.get(k.toLowerCase());
      if (id !== undefined) return { imageId: id };
    }
    for (const [what, list] of [
      ['SOP Instance UID', this.bySop.get(k)],
      ['file name', this.byName.get(k) ?? this.byName.get(k.split(/[\\/]/).pop() ?? k)],
    ] as const) {
      if (!list) continue;
      if (list.length === 1) return { imageId: list[0] as number };
      return { problem: `image_key "${key}" is ambiguous: ${list.length} images of the dataset have this ${what}; use the SHA-256` };
    }
    return { problem: `unknown image: "${key}" is not the SOP Instance UID, SHA-256 or file name of an image of the dataset` };
  }
}
