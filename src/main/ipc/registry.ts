import type { z } from 'zod';
import {
  contract,
  isChannelName,
  type ChannelName,
  type EventName,
  type EventPayloadOf,
  type ParsedRequestOf,
  type ResponseOf,
} from '../../shared/contract';
import type { AuditOutcome } from '../../shared/contract';
import { AppError, type ErrorCode, type ErrorData, type Result } from '../../shared/errors';
import { accessAllows } from '../../shared/roles';
import type { AppServices } from '../app-services';
import type { Session } from '../auth/sessions';
import { SqliteError } from '../db/sqlite';
import type { WritableDB } from '../db/types';
import { isTrustedSender, type Sender } from './sender';

/** What the audit entry of a call is about. */
export interface AuditObject {
  readonly type: string;
  readonly id?: string | number | null;
  readonly details?: unknown;
  /** For calls that establish who the actor is (login, first-run setup). */
  readonly actor?: { readonly id: number; readonly name: string };
}

export interface CallContext<C extends ChannelName = ChannelName> {
  readonly channel: C;
  readonly sender: Sender;
  /** Non-null on every channel whose access is not `public`. */
  readonly session: Session | null;
  readonly app: AppServices;
  /**
   * Runs `fn` in one IMMEDIATE transaction and appends this call's audit entry inside the same
   * transaction, so the change and its record commit or vanish together.
   */
  write<T>(object: AuditObject | ((value: T) => AuditObject), fn: (db: WritableDB) => T): T;
  /** Sends an event to the calling window. */
  emit<E extends EventName>(event: E, payload: EventPayloadOf<E>): void;
}

export type Handler<C extends ChannelName> = (
  ctx: CallContext<C>,
  request: ParsedRequestOf<C>,
) => ResponseOf<C> | Promise<ResponseOf<C>>;

export type HandlerMap<K extends ChannelName> = { readonly [C in K]: Handler<C> };

export type Dispatch = (sender: Sender, channel: unknown, payload: unknown) => Promise<Result<unknown>>;

/**
 * The one place where IPC calls are checked (HOUSE-STYLE 6): sender, channel, session and
 * role, payload schema; then the handler; then the audit entry. Every denial is audited.
 * Errors leave as `{ok: false, error}` data, never as thrown objects.
 */
export function createRegistry(app: AppServices, handlers: HandlerMap<ChannelName>): Dispatch {
  for (const name of Object.keys(contract)) {
    if (typeof (handlers as Record<string, unknown>)[name] !== 'function') {
      throw new Error(`no handler registered for channel ${name}`);
    }
  }

  const deny = (
    action: string,
    session: Session | null,
    code: ErrorCode,
    message: string,
    details?: unknown,
  ): Result<never> => {
    const error: ErrorData = details === undefined ? { code, message } : { code, message, details };
    recordAudit(app, session, action, code === 'VALIDATION' ? 4 : 8, { error: { code, message } }, null);
    return { ok: false, error };
  };

  return async function dispatch(sender, channelName, payload) {
    if (!isTrustedSender(sender, app.appOrigin)) {
      return deny(String(channelName).slice(0, 100), null, 'FORBIDDEN', 'Calls are accepted only from the MIDC window.', {
        origin: sender.origin,
      });
    }
    if (!isChannelName(channelName)) {
      return deny('ipc:unknown', null, 'VALIDATION', `Unknown function ${String(channelName).slice(0, 100)}.`);
    }
    const def = contract[channelName];
    const session = app.sessions.get(sender.id);
    if (def.access !== 'public' && session === null) {
      return deny(channelName, null, 'UNAUTHENTICATED', 'Please log in first.');
    }
    if (!accessAllows(def.access, session?.roles ?? null)) {
      return deny(channelName, session, 'FORBIDDEN', `Your roles do not allow ${channelName}.`, {
        required: def.access,
      });
    }
    const parsed = (def.request as z.ZodType).safeParse(payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      return deny(channelName, session, 'VALIDATION', `Invalid request for ${channelName}: ${summary}`, { issues });
    }
    if (session) app.sessions.touch(session);

    let audited = false;
    const ctx: CallContext = {
      channel: channelName,
      sender,
      session,
      app,
      write(object, fn) {
        const value = app.db
          .transaction(() => {
            const result = fn(app.db);
            const obj = typeof object === 'function' ? object(result) : object;
            recordAudit(app, session, channelName, 0, obj.details, obj);
            return result;
          })
          .immediate();
        // Set only after the commit: a rolled-back write left no entry.
        audited = true;
        return value;
      },
      emit(event, eventPayload) {
        app.events.emit(sender.id, event, eventPayload);
      },
    };

    try {
      const handler = handlers[channelName] as Handler<ChannelName>;
      const value = await handler(ctx, parsed.data as never);
      // Mutating calls and reads of health data are audited once (RELIABILITY target 26).
      const auditRead = 'auditRead' in def && def.auditRead === true;
      if ((def.mutates || auditRead) && !audited) recordAudit(app, session, channelName, 0, auditRead ? { request: parsed.data } : undefined, null);
      return { ok: true, value };
    } catch (err) {
      const error = toErrorData(err);
      if (def.mutates) {
        const outcome: AuditOutcome = error.code === 'VALIDATION' ? 4 : error.code === 'INTERNAL' ? 12 : 8;
        recordAudit(app, app.sessions.get(sender.id), channelName, outcome, { error }, null);
      }
      if (error.code === 'INTERNAL') console.error(`[ipc] ${channelName} failed:`, err);
      return { ok: false, error };
    }
  };
}

function recordAudit(
  app: AppServices,
  session: Session | null,
  action: string,
  outcome: AuditOutcome,
  details: unknown,
  object: AuditObject | null,
): void {
  try {
    app.audit.record(app.db, {
      actorId: object?.actor?.id ?? session?.userId ?? null,
      actorName: object?.actor?.name ?? session?.username ?? null,
      action,
      objectType: object?.type ?? null,
      objectId: object?.id ?? null,
      outcome,
      details,
    });
  } catch (err) {
    // Inside ctx.write (object is set only there) this throws and rolls the change back: no
    // change without its record. Checking db.inTransaction is not enough: SQLite rolls back on
    // its own on SQLITE_FULL, and the error must still reach the caller as STORAGE_IO.
    if (object !== null || app.db.inTransaction) throw err;
    console.error('[audit] could not record', action, err);
  }
}

/** Maps anything thrown in a handler to the stable error set. */
export function toErrorData(err: unknown): ErrorData {
  if (err instanceof AppError) return err.toData();
  if (err instanceof SqliteError) {
    if (err.code === 'SQLITE_FULL') {
      return { code: 'STORAGE_IO', message: 'The disk is full: nothing was saved. Free some space and try again.' };
    }
    if (err.code === 'SQLITE_CORRUPT' || err.code === 'SQLITE_NOTADB') {
      return { code: 'DB_CORRUPT', message: 'The database is damaged. Restore it from a backup.' };
    }
    if (err.code.startsWith('SQLITE_CONSTRAINT')) {
      return { code: 'CONFLICT', message: err.message };
    }
    if (err.code === 'SQLITE_IOERR' || err.code.startsWith('SQLITE_IOERR') || err.code === 'SQLITE_READONLY') {
      return { code: 'STORAGE_IO', message: `Storage error: ${err.message}` };
    }
  }
  const nodeCode = (err as NodeJS.ErrnoException | null)?.code;
  if (nodeCode === 'ENOSPC' || nodeCode === 'EIO' || nodeCode === 'EROFS' || nodeCode === 'EACCES') {
    return { code: 'STORAGE_IO', message: `Storage error (${nodeCode}): ${(err as Error).message}` };
  }
  return { code: 'INTERNAL', message: 'An internal error occurred; it has been logged.' };
}
