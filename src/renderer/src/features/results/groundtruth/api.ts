import type { RequestOf } from '../../../../../shared/contract';
import { settle } from '../../../core/result';

/** The ground-truth import step of the results feature: the only module of this folder that touches window.api. */
export const groundTruthApi = {
  listDatasets: () => settle(() => window.api.datasets.list({})),
  get: (req: RequestOf<'groundTruth:get'>) => settle(() => window.api.groundTruth.get(req)),
  import: (req: RequestOf<'groundTruth:import'>) => settle(() => window.api.groundTruth.import(req)),
};
