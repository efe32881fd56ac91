import type { AuditLog } from './audit/audit-log';
import type { Clock, SessionManager } from './auth/sessions';
import type { SettingsStore } from './auth/settings';
import type { WritableDB } from './db/types';
import type { EventBus } from './ipc/event-bus';
import type { Workspace } from './workspace/workspace';

export type HostKind = 'electron' | 'chromium' | 'cli';

/**
 * Everything a handler may use. Composed once per process by `createApp`; domains add their
 * services here as they land.
 */
export interface AppServices {
  readonly db: WritableDB;
  readonly audit: AuditLog;
  readonly sessions: SessionManager;
  readonly settings: SettingsStore;
  readonly events: EventBus;
  readonly workspace: Workspace;
  readonly clock: Clock;
  readonly host: HostKind;
  /** The origin the renderer is served from; IPC from any other origin is refused. */
  readonly appOrigin: string;
  readonly version: string;
}
