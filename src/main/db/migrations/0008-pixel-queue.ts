import type { Migration } from '../types';

/**
 * Pixel-derived data (thumbnail, perceptual hash) moves off the import's critical path
 * (issue 3's throughput target): an image is registered with `pixels_pending = 1` when its
 * kind may be decodable, and the background pass clears the flag once it has stored the
 * thumbnail and hash (or found the pixels undecodable). A crash in between leaves the flag
 * set, so the next pass finishes the job. Images imported before this migration already
 * carry their pixel data (or none could be made): not pending.
 */
export const migration0008PixelQueue: Migration = {
  version: 8,
  name: 'pixel-queue',
  up(db) {
    db.exec(`
      ALTER TABLE images ADD COLUMN pixels_pending INTEGER NOT NULL DEFAULT 0 CHECK (pixels_pending IN (0, 1));
      CREATE INDEX images_pixels_pending ON images(id) WHERE pixels_pending = 1;
    `);
  },
};
