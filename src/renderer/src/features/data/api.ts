import type { ImportProgressView, RequestOf } from '../../../../shared/contract';
import { settle } from '../../core/result';

/** The only module of the data feature that touches window.api (HOUSE-STYLE 15). */
export const dataApi = {
  importFiles: (req: RequestOf<'images:import'>) => settle(() => window.api.images.import(req)),
  cancelImport: (batch: number) => settle(() => window.api.images.cancelImport({ batch })),
  onImportProgress: (listener: (p: ImportProgressView) => void) => window.api.events.onImportProgress(listener),
  listImages: (req: RequestOf<'images:list'>) => settle(() => window.api.images.list(req)),
  thumbnail: (id: number) => settle(() => window.api.images.thumbnail({ id })),
  setTags: (req: RequestOf<'images:setTags'>) => settle(() => window.api.images.setTags(req)),
  nearDuplicates: (maxDistance: number) => settle(() => window.api.images.nearDuplicates({ maxDistance })),
  batches: () => settle(() => window.api.images.batches({})),
  batchReport: (batch: number) => settle(() => window.api.images.batchReport({ batch })),
  tagKeys: () => settle(() => window.api.images.tagKeys({})),
  createDataset: (req: RequestOf<'datasets:create'>) => settle(() => window.api.datasets.create(req)),
};
