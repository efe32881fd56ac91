import type { RequestOf } from '../../../../shared/contract';
import { settle } from '../../core/result';

/** The only module of the quant feature that touches window.api (HOUSE-STYLE 15). */
export const quantApi = {
  list: () => settle(() => window.api.quant.list({})),
  get: (id: number) => settle(() => window.api.quant.get({ id })),
  create: (req: RequestOf<'quant:create'>) => settle(() => window.api.quant.create(req)),
  update: (req: RequestOf<'quant:update'>) => settle(() => window.api.quant.update(req)),
  disable: (id: number) => settle(() => window.api.quant.disable({ id })),
  link: (matrixId: number, standardId: number) => settle(() => window.api.quant.link({ matrixId, standardId })),
  unlink: (matrixId: number, standardId: number) => settle(() => window.api.quant.unlink({ matrixId, standardId })),
  rescore: (runId: number, matrixId: number) => settle(() => window.api.quant.rescore({ runId, matrixId })),
  rank: (runIds: number[], matrixId: number, limit: number) => settle(() => window.api.quant.rank({ runIds, matrixId, limit })),
  standards: () => settle(() => window.api.standards.list({})),
  runs: () => settle(() => window.api.runs.list({})),
  thumbnail: (id: number) => settle(() => window.api.images.thumbnail({ id })),
};
