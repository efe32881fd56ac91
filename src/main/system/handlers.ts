import type { HandlerMap } from '../ipc/registry';

export const systemHandlers: HandlerMap<'system:info' | 'system:reportBlocked'> = {
  'system:info': (ctx) => ({
    version: ctx.app.version,
    host: ctx.app.host === 'electron' ? 'electron' : 'chromium',
    workspace: ctx.app.workspace.root,
  }),
  // A blocked request is a security event: the attempt itself is what the audit must show.
  'system:reportBlocked': (ctx, req) => {
    ctx.write({ type: 'security', id: null, details: { blocked: req.url, directive: req.directive } }, () => undefined);
    return null;
  },
};
