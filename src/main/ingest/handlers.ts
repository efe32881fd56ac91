import fs from 'node:fs';
import { AppError } from '../../shared/errors';
import type { ImportProgressView } from '../../shared/contract';
import type { AppServices } from '../app-services';
import type { HandlerMap } from '../ipc/registry';
import { blobPath } from '../storage/blob-layout';
import { BlobStore } from '../storage/blob-store';
import { removeTag, setTag } from './ingest-repository';
import { findNearDuplicates, importPaths } from './ingest-service';
import { batchItems, countImages, imageFileRow, imageIds, imageNames, listBatches, listImages, tagKeys, thumbnailSha } from './images-repository';
import { ingestWorkerFile } from './worker-file';

/** Running imports per app, so that the person who started one can cancel it. */
const running = new WeakMap<AppServices, Map<number, AbortController>>();

function runningOf(app: AppServices): Map<number, AbortController> {
  let map = running.get(app);
  if (!map) running.set(app, (map = new Map()));
  return map;
}

type ImageChannels =
  | 'images:import'
  | 'images:cancelImport'
  | 'images:list'
  | 'images:thumbnail'
  | 'images:file'
  | 'images:setTags'
  | 'images:nearDuplicates'
  | 'images:batches'
  | 'images:batchReport'
  | 'images:tagKeys';

export const imagesHandlers: HandlerMap<ImageChannels> = {
  'images:import': async (ctx, req) => {
    const session = ctx.session;
    const controller = new AbortController();
    let batch = 0;
    // The pixel pass's progress goes out with the files' last counts.
    let last: ImportProgressView | null = null;
    try {
      const report = await importPaths(ctx.app, req.paths, {
        tags: req.tags,
        deidentify: req.deidentify,
        actor: { id: session?.userId ?? null, name: session?.username ?? 'unknown' },
        workerFile: ingestWorkerFile(),
        signal: controller.signal,
        audit: false,
        onBatch: (id) => {
          batch = id;
          runningOf(ctx.app).set(id, controller);
        },
        onProgress: (p) => {
          last = p;
          ctx.emit('import:progress', p);
        },
        onPixelProgress: (pixels) => {
          if (last) ctx.emit('import:progress', { ...last, pixels: { done: pixels.done, total: pixels.total } });
        },
      });
      ctx.write(
        {
          type: 'import_batch',
          id: report.batch,
          details: { files: report.items.length, imported: report.imported, duplicates: report.duplicates, quarantined: report.quarantined.length, cancelled: report.cancelled, tags: req.tags, deidentify: req.deidentify },
        },
        () => undefined,
      );
      return report;
    } finally {
      runningOf(ctx.app).delete(batch);
    }
  },

  'images:cancelImport': (ctx, req) => {
    const controller = runningOf(ctx.app).get(req.batch);
    ctx.write({ type: 'import_batch', id: req.batch, details: { running: Boolean(controller) } }, () => undefined);
    controller?.abort();
    return { cancelled: Boolean(controller) };
  },

  'images:list': (ctx, req) => ({
    total: countImages(ctx.app.db, req.filter),
    rows: listImages(ctx.app.db, req.filter, req.sort, req.offset, req.limit),
  }),

  'images:thumbnail': (ctx, req) => {
    const sha = thumbnailSha(ctx.app.db, req.id);
    if (sha === undefined) throw new AppError('NOT_FOUND', `No image with id ${req.id}.`);
    if (sha === null) return null;
    try {
      return new Uint8Array(fs.readFileSync(blobPath(ctx.app.workspace.storageDir, sha)));
    } catch (err) {
      throw new AppError('STORAGE_IO', `The thumbnail of image ${req.id} cannot be read: ${(err as Error).message}`);
    }
  },

  'images:file': (ctx, req) => {
    const row = imageFileRow(ctx.app.db, req.id);
    if (!row) throw new AppError('NOT_FOUND', `No image with id ${req.id}.`);
    // Read through the store with verification: a damaged file is reported, never shown.
    const bytes = new BlobStore(ctx.app.workspace.storageDir).get(row.sha256, { verify: true });
    const spacing = row.pixel_spacing?.split('\\').map(Number);
    return {
      id: row.id,
      kind: row.kind,
      viewable: row.viewable === 1,
      transferSyntax: row.transfer_syntax,
      pixelSpacing: spacing && spacing.length === 2 && spacing.every((v) => Number.isFinite(v) && v > 0) ? [spacing[0] as number, spacing[1] as number] : null,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    };
  },

  'images:setTags': (ctx, req) => {
    const ids = imageIds(ctx.app.db, req.filter);
    if (ids.length === 0) throw new AppError('NOT_FOUND', 'No image matches the selection; nothing was changed.');
    const by = ctx.session?.userId ?? null;
    const at = new Date(ctx.app.clock.now()).toISOString();
    ctx.write({ type: 'images', id: null, details: { count: ids.length, tags: req.tags, filter: req.filter } }, (db) => {
      for (const imageId of ids) {
        for (const [key, value] of Object.entries(req.tags)) {
          if (value === null || value === '') removeTag(db, { imageId, namespace: 'source', key, at, by });
          else setTag(db, { imageId, namespace: 'source', key, value, origin: 'user', at, by });
        }
      }
    });
    return { updated: ids.length };
  },

  'images:nearDuplicates': (ctx, req) => {
    const pairs = findNearDuplicates(ctx.app, req.maxDistance);
    const names = imageNames(ctx.app.db, [...new Set(pairs.flatMap((p) => [p.imageId, p.otherId]))]);
    return pairs.map((p) => ({ ...p, imageName: names.get(p.imageId) ?? '', otherName: names.get(p.otherId) ?? '' }));
  },

  'images:batches': (ctx) => listBatches(ctx.app.db),
  'images:batchReport': (ctx, req) => batchItems(ctx.app.db, req.batch),
  'images:tagKeys': (ctx) => tagKeys(ctx.app.db),
};
