import type { SessionEndReason, SessionInfo } from '../../shared/contract';
import type { Role } from '../../shared/roles';

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

export interface Session {
  readonly senderId: string;
  readonly userId: number;
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly startedAt: number;
  lastActivity: number;
}

export type SessionEndListener = (session: Session, reason: SessionEndReason) => void;

/**
 * Who is logged in at which window. Lives only in the main process; the renderer holds no
 * token it could forge. A session idle for longer than the configured time ends on its next
 * use (HIPAA §164.312(a)(2)(iii)); the renderer's own idle timer shows the login screen at
 * the same moment.
 */
export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly listeners = new Set<SessionEndListener>();

  constructor(
    private readonly idleMinutes: () => number,
    private readonly clock: Clock = systemClock,
  ) {}

  start(senderId: string, user: Omit<Session, 'senderId' | 'startedAt' | 'lastActivity'>): Session {
    const now = this.clock.now();
    const session: Session = { ...user, senderId, startedAt: now, lastActivity: now };
    this.sessions.set(senderId, session);
    return session;
  }

  /** The live session of a window, ending it first if it has been idle too long. */
  get(senderId: string): Session | null {
    const session = this.sessions.get(senderId);
    if (!session) return null;
    if (this.clock.now() - session.lastActivity > this.idleMinutes() * 60_000) {
      this.end(senderId, 'idle');
      return null;
    }
    return session;
  }

  touch(session: Session): void {
    session.lastActivity = this.clock.now();
  }

  end(senderId: string, reason: SessionEndReason): Session | null {
    const session = this.sessions.get(senderId);
    if (!session) return null;
    this.sessions.delete(senderId);
    for (const listener of this.listeners) listener(session, reason);
    return session;
  }

  /** Ends every session of a user (disabled by an admin, roles changed). */
  endUser(userId: number, reason: SessionEndReason): void {
    for (const s of [...this.sessions.values()]) if (s.userId === userId) this.end(s.senderId, reason);
  }

  /** A user's roles changed: live sessions pick up the new set at once. */
  updateRoles(userId: number, roles: readonly Role[]): void {
    for (const [key, s] of this.sessions) if (s.userId === userId) this.sessions.set(key, { ...s, roles });
  }

  onEnd(listener: SessionEndListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  info(session: Session): SessionInfo {
    return {
      userId: session.userId,
      username: session.username,
      displayName: session.displayName,
      roles: session.roles,
      idleMinutes: this.idleMinutes(),
    };
  }
}
