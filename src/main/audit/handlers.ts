import type { HandlerMap } from '../ipc/registry';
import { verifyAuditChain } from './audit-log';
import { queryRows } from './audit-repository';

export const auditHandlers: HandlerMap<'audit:list' | 'audit:verify'> = {
  'audit:list': (ctx, req) => queryRows(ctx.app.db, req),
  'audit:verify': (ctx) => verifyAuditChain(ctx.app.db),
};
