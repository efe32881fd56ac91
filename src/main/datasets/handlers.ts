import { DATASET_BUILDERS } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { imageIds } from '../ingest/images-repository';
import type { HandlerMap } from '../ipc/registry';
import { findByName, getDataset, insertDataset, insertVersion, listDatasets, versionImageIds } from './datasets-repository';

export const datasetsHandlers: HandlerMap<'datasets:create' | 'datasets:list' | 'datasets:imageIds'> = {
  'datasets:create': (ctx, req) => {
    const session = ctx.session;
    const allowed = DATASET_BUILDERS[req.purpose];
    if (!session || !allowed.some((r) => session.roles.includes(r))) {
      throw new AppError('FORBIDDEN', `A ${req.purpose.replace('_', '-')} dataset is built by: ${allowed.join(', ')}.`, { purpose: req.purpose });
    }
    const { db, clock } = ctx.app;
    if (findByName(db, req.name)) throw new AppError('CONFLICT', `A dataset named "${req.name}" exists already.`, { field: 'name' });
    const ids = imageIds(db, req.filter);
    if (ids.length === 0) throw new AppError('VALIDATION', 'No image matches the selection: a dataset needs at least one image.', { field: 'filter' });
    const now = new Date(clock.now()).toISOString();
    const datasetId = ctx.write(
      (newId: number) => ({ type: 'dataset', id: newId, details: { name: req.name, purpose: req.purpose, images: ids.length } }),
      (w) => {
        const newId = insertDataset(w, {
          name: req.name,
          purpose: req.purpose,
          description: req.description,
          source: { filter: req.filter },
          createdBy: session.userId,
          createdAt: now,
        });
        insertVersion(w, { datasetId: newId, version: 1, imageIds: ids, createdBy: session.userId, createdAt: now });
        return newId;
      },
    );
    return getDataset(db, datasetId) as NonNullable<ReturnType<typeof getDataset>>;
  },

  'datasets:list': (ctx, req) => listDatasets(ctx.app.db, req.purpose),

  'datasets:imageIds': (ctx, req) => {
    const ids = versionImageIds(ctx.app.db, req.id, req.version);
    if (!ids) throw new AppError('NOT_FOUND', `No dataset ${req.id}${req.version ? ` version ${req.version}` : ''}.`);
    return ids;
  },
};
