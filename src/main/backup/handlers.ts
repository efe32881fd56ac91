import type { AppServices } from '../app-services';
import type { CallContext, HandlerMap } from '../ipc/registry';
import { backupServiceFor, type BackupService, type Commit } from './backup-service';

type BackupChannels =
  | 'backup:config'
  | 'backup:setConfig'
  | 'backup:runNow'
  | 'backup:cancel'
  | 'backup:status'
  | 'backup:list'
  | 'backup:verify'
  | 'backup:health'
  | 'backup:checkIntegrity'
  | 'backup:restoreDrill';

const service = (app: AppServices): BackupService => backupServiceFor(app);

/** The call's audited write, as the service's Commit (ctx.write is generic over the call). */
const commitOf = (ctx: CallContext): Commit => (object, fn) => ctx.write(object, fn);

export const backupHandlers: HandlerMap<BackupChannels> = {
  'backup:config': (ctx) => service(ctx.app).config(),

  'backup:setConfig': (ctx, req) => service(ctx.app).setConfig(req.config, commitOf(ctx)),

  // The backup snapshots without writing to the database; its audit entry is appended after
  // it completed (through ctx.write), so the manifest's chain head is the snapshot's.
  'backup:runNow': (ctx, req) => service(ctx.app).runNow(req.destination, commitOf(ctx), (p) => ctx.emit('backup:progress', p)),

  'backup:cancel': (ctx) => {
    const s = service(ctx.app);
    const running = s.queue.running?.job.destination ?? null;
    const queued = s.queue.queued.length;
    ctx.write({ type: 'backup', id: running, details: { running, queued } }, () => undefined);
    return { cancelled: s.cancel() };
  },

  'backup:status': (ctx) => service(ctx.app).status(),

  'backup:list': (ctx, req) => service(ctx.app).list(req.destination),

  'backup:verify': (ctx, req) => service(ctx.app).verify(req.path, commitOf(ctx)),

  'backup:health': (ctx) => service(ctx.app).health(),

  'backup:checkIntegrity': (ctx) => service(ctx.app).checkIntegrity(commitOf(ctx)),

  'backup:restoreDrill': (ctx) => service(ctx.app).drill(commitOf(ctx)),
};

/**
 * For the hosts (not one-shot CLI commands): starts the backup schedule of this app, which
 * first catches up a run missed while the app was closed. Returns the stop function, to call
 * before the database closes (a running backup is cancelled).
 */
export function startBackupScheduler(app: AppServices): () => Promise<void> {
  const s = service(app);
  s.startScheduler();
  return async () => {
    s.stopScheduler();
    s.cancel();
    await s.queue.whenIdle();
    await s.checksIdle();
  };
}
