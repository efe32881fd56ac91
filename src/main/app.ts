import { AuditLog } from './audit/audit-log';
import { startBackupScheduler } from './backup/handlers';
import type { AppServices, HostKind } from './app-services';
import { SessionManager, systemClock, type Clock } from './auth/sessions';
import { SettingsStore } from './auth/settings';
import { openDatabase } from './db/database';
import { startDropFolders } from './evaluation/drop-folder';
import { startPendingPixels } from './ingest/pixel-catch-up';
import { EventBus } from './ipc/event-bus';
import { handlers } from './ipc/handlers';
import { createRegistry, type Dispatch } from './ipc/registry';
import { runStartupChecks } from './workspace/startup';
import { ensureWorkspaceDirs } from './workspace/prepare';
import { workspaceLayout } from './workspace/workspace';
import { APP_VERSION } from './version';

export interface App {
  readonly services: AppServices;
  readonly dispatch: Dispatch;
  /** Drains background jobs (a running backup is cancelled and waited for), then closes. */
  shutdown(): Promise<void>;
  /** Closes at once: timers stopped, database closed. For tests and failed starts. */
  close(): void;
}

export interface CreateAppOptions {
  readonly workspaceDir: string;
  readonly host: HostKind;
  readonly appOrigin: string;
  readonly clock?: Clock;
  /** Hosts run the startup checks; one-shot CLI commands do not. Default: true except for the CLI. */
  readonly startupChecks?: boolean;
  /** Scheduled work (backups, drop folders). Default: true except for the CLI. */
  readonly backgroundJobs?: boolean;
}

/**
 * Composes the main-process services for one workspace. Both hosts and the CLI call this;
 * it holds no Electron or Playwright code.
 */
export function createApp(options: CreateAppOptions): App {
  const workspace = workspaceLayout(options.workspaceDir);
  ensureWorkspaceDirs(workspace);
  const clock = options.clock ?? systemClock;
  const db = openDatabase(workspace.dbFile);
  const audit = new AuditLog({ now: () => new Date(clock.now()) });
  const settings = new SettingsStore(db);
  const sessions = new SessionManager(() => settings.get().idleMinutes, clock);
  const events = new EventBus();
  const services: AppServices = {
    db,
    audit,
    sessions,
    settings,
    events,
    workspace,
    clock,
    host: options.host,
    appOrigin: options.appOrigin,
    version: APP_VERSION,
  };

  // A session that ends on its own (idle, account disabled) is recorded and the window told;
  // a logout the person asked for is recorded by its own IPC call.
  sessions.onEnd((session, reason) => {
    if (reason !== 'logout') {
      audit.record(db, {
        actorId: session.userId,
        actorName: session.username,
        action: reason === 'idle' ? 'auth:timeout' : 'auth:sessionEnded',
        objectType: 'user',
        objectId: session.userId,
        outcome: 0,
        details: { reason },
      });
    }
    events.emit(session.senderId, 'session:ended', { reason });
  });

  if (options.startupChecks ?? options.host !== 'cli') {
    const report = runStartupChecks(db, audit, workspace);
    if (report.quickCheck.join() !== 'ok') console.error('[startup] database quick_check:', report.quickCheck.join('; '));
    if (report.storage.status !== 'ok') console.error('[startup] storage root:', report.storage.problems.join('; '));
  }

  const dispatch = createRegistry(services, handlers);
  // After the registry exists: a catch-up backup at start goes through the same audited path.
  const background = options.backgroundJobs ?? options.host !== 'cli';
  const stopBackground = background ? startBackupScheduler(services) : null;
  // Watched drop folders import result files as they arrive (issue 5); stopped before the database closes.
  const stopDropFolders = background ? startDropFolders(services) : null;
  // Thumbnails and perceptual hashes left pending (deferred or interrupted imports, issue 3).
  const stopPixels = background ? startPendingPixels(services) : null;
  let closed = false;
  const closeDb = () => {
    if (closed) return;
    closed = true;
    db.close();
  };
  return {
    services,
    dispatch,
    async shutdown() {
      stopDropFolders?.();
      await stopPixels?.();
      await stopBackground?.();
      closeDb();
    },
    close() {
      stopDropFolders?.();
      void stopPixels?.();
      void stopBackground?.().catch(() => undefined);
      closeDb();
    },
  };
}
