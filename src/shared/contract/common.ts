import { z } from 'zod';
import { ROLES } from '../roles';

/** Reused request pieces. Every request is a strict object: unknown keys are a VALIDATION error. */
export const empty = z.strictObject({});
export const id = z.number().int().positive();
export const username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{3,32}$/, '3-32 letters, digits, dot, dash or underscore');
/** Kiosk passwords: long enough to resist guessing at the lock-out rate; no composition rules (NIST 800-63B). */
export const newPassword = z.string().min(8, 'at least 8 characters').max(256);
export const isoDate = z.iso.datetime({ offset: true });
export const roleList = z.array(z.enum(ROLES)).max(ROLES.length);
