import { TAG_RESULT_READERS } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { accessAllows } from '../../shared/roles';
import { DEFAULT_IOU, freshSnapshot, type Writer } from '../evaluation/snapshots';
import { mustRun, runSummary, runView } from '../evaluation/runs-service';
import type { CallContext, HandlerMap } from '../ipc/registry';
import { runCurves } from '../evaluation/overlays';
import { runReport } from './report';
import { sliceRun } from './slices';
import { imageTagFlow, isRunLink, taggedImages } from './tagflow-service';

type TagflowChannels = 'tags:forImage' | 'tags:images' | 'runs:slice' | 'runs:report';

const nowOf = (ctx: CallContext) => new Date(ctx.app.clock.now()).toISOString();

const readsResults = (ctx: CallContext) => accessAllows(TAG_RESULT_READERS, ctx.session?.roles ?? null);

/**
 * A run's figures are read from its current snapshot: a stale one is regenerated first, in one
 * audited write, as runs:get and runs:drill do (DESIGN §4.1).
 */
function freshRun(ctx: CallContext, runId: number) {
  const run = mustRun(ctx.app.db, runId);
  const write: Writer = (details, fn) => ctx.write({ type: 'run', id: runId, details }, fn);
  const { stale } = freshSnapshot(ctx.app.db, runId, write, ctx.session?.userId ?? null, nowOf(ctx));
  return { run, stale };
}

export const tagflowHandlers: HandlerMap<TagflowChannels> = {
  'tags:forImage': (ctx, req) => imageTagFlow(ctx.app.db, req.imageId, readsResults(ctx)),

  'tags:images': (ctx, req) => {
    if (isRunLink(req.link) && !readsResults(ctx)) throw new AppError('FORBIDDEN', 'Your roles do not allow reading test results.', { required: TAG_RESULT_READERS });
    return taggedImages(ctx.app.db, req.link, req.offset, req.limit);
  },

  'runs:slice': (ctx, req) => {
    const { run } = freshRun(ctx, req.runId);
    if (runSummary(ctx.app.db, run).status !== 'computed') throw new AppError('CONFLICT', `Run "${run.name}" has no results yet.`);
    return sliceRun(ctx.app.db, run, req.tagKey, run.iou ?? DEFAULT_IOU);
  },

  'runs:report': (ctx, req) => {
    const { run, stale } = freshRun(ctx, req.runId);
    return runReport(runView(ctx.app.db, run, stale), nowOf(ctx), req.lang, runCurves(ctx.app.db, run).classes);
  },
};
