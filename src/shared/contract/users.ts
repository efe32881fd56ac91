import { z } from 'zod';
import type { Role } from '../roles';
import { channel } from './channel';
import { empty, id, newPassword, roleList, username } from './common';

export interface UserSummary {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly disabled: boolean;
  /** Locked after too many failed logins, until `lockedUntil` or an admin unlocks. */
  readonly lockedUntil: string | null;
  readonly createdAt: string;
  readonly lastLoginAt: string | null;
}

export interface AppSettings {
  readonly idleMinutes: number;
}

export const usersChannels = {
  'users:list': channel<UserSummary[]>()({ request: empty, access: ['admin'], mutates: false }),
  'users:create': channel<UserSummary>()({
    request: z.strictObject({
      username,
      displayName: z.string().trim().min(1).max(100),
      password: newPassword,
      roles: roleList,
    }),
    access: ['admin'],
    mutates: true,
  }),
  'users:update': channel<UserSummary>()({
    request: z.strictObject({
      id,
      displayName: z.string().trim().min(1).max(100).optional(),
      roles: roleList.optional(),
    }),
    access: ['admin'],
    mutates: true,
  }),
  /** Users are disabled, never deleted: their name stays on every audit entry and annotation. */
  'users:setDisabled': channel<UserSummary>()({
    request: z.strictObject({ id, disabled: z.boolean() }),
    access: ['admin'],
    mutates: true,
  }),
  'users:resetPassword': channel<null>()({
    request: z.strictObject({ id, password: newPassword }),
    access: ['admin'],
    mutates: true,
  }),
  'users:unlock': channel<UserSummary>()({ request: z.strictObject({ id }), access: ['admin'], mutates: true }),
  'settings:get': channel<AppSettings>()({ request: empty, access: 'session', mutates: false }),
  'settings:update': channel<AppSettings>()({
    request: z.strictObject({ idleMinutes: z.number().int().min(1).max(240) }),
    access: ['admin'],
    mutates: true,
  }),
} as const;
