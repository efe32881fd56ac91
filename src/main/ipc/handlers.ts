import type { ChannelName } from '../../shared/contract';
import { auditHandlers } from '../audit/handlers';
import { authHandlers, usersHandlers } from '../auth/handlers';
import { backupHandlers } from '../backup/handlers';
import { datasetsHandlers } from '../datasets/handlers';
import { evaluationHandlers } from '../evaluation/handlers';
import { imagesHandlers } from '../ingest/handlers';
import { labelingHandlers } from '../labeling/handlers';
import { quantHandlers } from '../quant/handlers';
import { registriesHandlers } from '../registries/handlers';
import { systemHandlers } from '../system/handlers';
import { tagflowHandlers } from '../tagflow/handlers';
import type { HandlerMap } from './registry';

/**
 * Every domain's handlers, composed. TypeScript refuses to build if a channel of the
 * contract has no handler here.
 */
export const handlers: HandlerMap<ChannelName> = {
  ...authHandlers,
  ...usersHandlers,
  ...auditHandlers,
  ...systemHandlers,
  ...imagesHandlers,
  ...datasetsHandlers,
  ...registriesHandlers,
  ...labelingHandlers,
  ...evaluationHandlers,
  ...tagflowHandlers,
  ...backupHandlers,
  ...quantHandlers,
};
