import type { HandlerMap } from '../ipc/registry';
import { imageValues } from './quant-repository';
import { createMatrix, disable, getMatrix, link, listMatrices, rank, rescore, unlink, updateMatrix } from './quant-service';

type QuantChannels = 'quant:list' | 'quant:get' | 'quant:create' | 'quant:update' | 'quant:disable' | 'quant:link' | 'quant:unlink' | 'quant:rescore' | 'quant:rank' | 'quant:imageValues';

/** IPC wiring of the quantified-label registry; the logic is in quant-service.ts. */
export const quantHandlers: HandlerMap<QuantChannels> = {
  'quant:list': (ctx) => listMatrices(ctx.app.db),
  'quant:get': (ctx, req) => getMatrix(ctx.app.db, req.id),
  'quant:create': (ctx, req) => createMatrix(ctx, req),
  'quant:update': (ctx, req) => updateMatrix(ctx, req),
  'quant:disable': (ctx, req) => disable(ctx, req.id),
  'quant:link': (ctx, req) => link(ctx, req.matrixId, req.standardId),
  'quant:unlink': (ctx, req) => unlink(ctx, req.matrixId, req.standardId),
  'quant:rescore': (ctx, req) => rescore(ctx, req.runId, req.matrixId),
  'quant:rank': (ctx, req) => rank(ctx, req),
  'quant:imageValues': (ctx, req) => imageValues(ctx.app.db, req.imageId),
};
