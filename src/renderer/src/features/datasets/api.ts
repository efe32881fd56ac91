import type { DatasetPurpose } from '../../../../shared/contract';
import { settle } from '../../core/result';

/** The only module of the datasets feature that touches window.api (HOUSE-STYLE 15). */
export const datasetsApi = {
  list: (purpose?: DatasetPurpose) => settle(() => window.api.datasets.list(purpose ? { purpose } : {})),
};
