import { z } from 'zod';
import type { Role } from '../roles';
import { channel, event } from './channel';
import { empty, newPassword, username } from './common';

/** What the renderer knows about the person at the keyboard. */
export interface SessionInfo {
  readonly userId: number;
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  /** Minutes of inactivity after which the session ends and the login screen returns. */
  readonly idleMinutes: number;
}

export interface AuthStatus {
  /** No user exists yet: the first person creates the admin (there is no default password). */
  readonly setupRequired: boolean;
  readonly session: SessionInfo | null;
}

export type SessionEndReason = 'logout' | 'idle' | 'disabled';

export const authChannels = {
  'auth:status': channel<AuthStatus>()({ request: empty, access: 'public', mutates: false }),
  'auth:login': channel<SessionInfo>()({
    request: z.strictObject({ username, password: z.string().min(1).max(256) }),
    access: 'public',
    mutates: true,
  }),
  'auth:logout': channel<null>()({
    request: z.strictObject({ reason: z.enum(['logout', 'idle']) }),
    access: 'session',
    mutates: true,
  }),
  /** The renderer reports user activity (throttled) so the main-side idle check agrees with it. */
  'auth:heartbeat': channel<null>()({ request: empty, access: 'session', mutates: false }),
  'auth:changePassword': channel<null>()({
    request: z.strictObject({ current: z.string().min(1).max(256), next: newPassword }),
    access: 'session',
    mutates: true,
  }),
  /** First start only: refused with CONFLICT once any user exists. Logs the new admin in. */
  'setup:createAdmin': channel<SessionInfo>()({
    request: z.strictObject({ username, displayName: z.string().trim().min(1).max(100), password: newPassword }),
    access: 'public',
    mutates: true,
  }),
} as const;

export const authEvents = {
  'session:ended': event<{ reason: SessionEndReason }>(),
} as const;
