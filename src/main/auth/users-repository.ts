import type { UserSummary } from '../../shared/contract';
import { isRole, type Role } from '../../shared/roles';
import type { ReadableDB, WritableDB } from '../db/types';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  disabled: 0 | 1;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  last_login_at: string | null;
}

export function countUsers(db: ReadableDB): number {
  return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

export function findByUsername(db: ReadableDB, username: string): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
}

export function findById(db: ReadableDB, id: number): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

export function rolesOf(db: ReadableDB, userId: number): Role[] {
  const rows = db.prepare('SELECT role FROM user_roles WHERE user_id = ? ORDER BY role').all(userId) as { role: string }[];
  return rows.map((r) => r.role).filter(isRole);
}

export function listUsers(db: ReadableDB): UserRow[] {
  return db.prepare('SELECT * FROM users ORDER BY username COLLATE NOCASE').all() as UserRow[];
}

export function insertUser(
  db: WritableDB,
  u: { username: string; displayName: string; passwordHash: string; createdAt: string },
): number {
  const info = db
    .prepare('INSERT INTO users (username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?)')
    .run(u.username, u.displayName, u.passwordHash, u.createdAt);
  return Number(info.lastInsertRowid);
}

export function setRoles(db: WritableDB, userId: number, roles: readonly Role[]): void {
  db.prepare('DELETE FROM user_roles WHERE user_id = ?').run(userId);
  const insert = db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)');
  for (const role of new Set(roles)) insert.run(userId, role);
}

export function updateUser(
  db: WritableDB,
  id: number,
  fields: Partial<Pick<UserRow, 'display_name' | 'password_hash' | 'disabled' | 'failed_logins' | 'locked_until' | 'last_login_at'>>,
): void {
  const keys = Object.keys(fields) as (keyof typeof fields)[];
  if (keys.length === 0) return;
  // Column names come from the typed key list above, never from input.
  const sets = keys.map((k) => `${k} = @${k}`).join(', ');
  db.prepare(`UPDATE users SET ${sets} WHERE id = @id`).run({ ...fields, id });
}

export function toSummary(db: ReadableDB, row: UserRow): UserSummary {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: rolesOf(db, row.id),
    disabled: row.disabled === 1,
    lockedUntil: row.locked_until,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}
