import { AppError } from '../../shared/errors';
import type { HandlerMap } from '../ipc/registry';
import { hashPassword, verifyPassword } from './password';
import {
  countUsers,
  findById,
  findByUsername,
  insertUser,
  listUsers,
  rolesOf,
  setRoles,
  toSummary,
  updateUser,
  type UserRow,
} from './users-repository';

/** Failed logins before the account locks, and for how long (HIPAA §164.308(a)(5)(ii)(C)). */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

/** A real hash of nothing, so an unknown username costs the same time as a wrong password. */
let dummyHash: Promise<string> | null = null;

type AuthChannels =
  | 'auth:status'
  | 'auth:login'
  | 'auth:logout'
  | 'auth:heartbeat'
  | 'auth:changePassword'
  | 'setup:createAdmin';

export const authHandlers: HandlerMap<AuthChannels> = {
  'auth:status': (ctx) => ({
    setupRequired: countUsers(ctx.app.db) === 0,
    session: ctx.session ? ctx.app.sessions.info(ctx.session) : null,
  }),

  'auth:login': async (ctx, req) => {
    const { db, clock, sessions } = ctx.app;
    const user = findByUsername(db, req.username);
    if (!user) {
      await verifyPassword(req.password, await (dummyHash ??= hashPassword('unused')));
      throw new AppError('UNAUTHENTICATED', 'Wrong username or password.', { username: req.username });
    }
    if (user.disabled) {
      throw new AppError('FORBIDDEN', 'This account is disabled. Ask an administrator.', { username: user.username });
    }
    const now = clock.now();
    if (user.locked_until && Date.parse(user.locked_until) > now) {
      throw new AppError('FORBIDDEN', `Too many failed logins: this account is locked until ${user.locked_until}.`, {
        username: user.username,
        lockedUntil: user.locked_until,
      });
    }
    const verdict = await verifyPassword(req.password, user.password_hash);
    if (!verdict.ok) {
      const failed = user.failed_logins + 1;
      const lock = failed >= MAX_FAILED_LOGINS;
      const lockedUntil = lock ? new Date(now + LOCK_MINUTES * 60_000).toISOString() : null;
      db.transaction(() =>
        updateUser(db, user.id, { failed_logins: lock ? 0 : failed, locked_until: lockedUntil }),
      ).immediate();
      throw new AppError(
        'UNAUTHENTICATED',
        lock
          ? `Wrong password ${MAX_FAILED_LOGINS} times: the account is locked for ${LOCK_MINUTES} minutes.`
          : 'Wrong username or password.',
        { username: user.username, failedLogins: failed, lockedUntil },
      );
    }
    const rehash = verdict.needsRehash ? await hashPassword(req.password) : null;
    const roles = rolesOf(db, user.id);
    ctx.write({ type: 'user', id: user.id, actor: { id: user.id, name: user.username } }, (w) =>
      updateUser(w, user.id, {
        failed_logins: 0,
        locked_until: null,
        last_login_at: new Date(now).toISOString(),
        ...(rehash ? { password_hash: rehash } : {}),
      }),
    );
    const session = sessions.start(ctx.sender.id, {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      roles,
    });
    return sessions.info(session);
  },

  'auth:logout': (ctx, req) => {
    const session = ctx.session;
    ctx.write({ type: 'user', id: session?.userId ?? null, details: { reason: req.reason } }, () => undefined);
    ctx.app.sessions.end(ctx.sender.id, req.reason);
    return null;
  },

  'auth:heartbeat': () => null,

  'auth:changePassword': async (ctx, req) => {
    const session = requireSession(ctx.session);
    const user = mustFind(ctx.app.db, session.userId);
    if (!(await verifyPassword(req.current, user.password_hash)).ok) {
      throw new AppError('VALIDATION', 'The current password is wrong.', { field: 'current' });
    }
    const hash = await hashPassword(req.next);
    ctx.write({ type: 'user', id: user.id }, (db) => updateUser(db, user.id, { password_hash: hash }));
    return null;
  },

  'setup:createAdmin': async (ctx, req) => {
    const { db, clock, sessions } = ctx.app;
    if (countUsers(db) > 0) throw new AppError('CONFLICT', 'MIDC is already set up: log in instead.');
    const hash = await hashPassword(req.password);
    const id = ctx.write(
      (newId: number) => ({ type: 'user', id: newId, actor: { id: newId, name: req.username }, details: { roles: ['admin'] } }),
      (w) => {
        // Checked again inside the transaction: two first-start windows must not both win.
        if (countUsers(w) > 0) throw new AppError('CONFLICT', 'MIDC is already set up: log in instead.');
        const newId = insertUser(w, {
          username: req.username,
          displayName: req.displayName,
          passwordHash: hash,
          createdAt: new Date(clock.now()).toISOString(),
        });
        setRoles(w, newId, ['admin']);
        return newId;
      },
    );
    const session = sessions.start(ctx.sender.id, {
      userId: id,
      username: req.username,
      displayName: req.displayName,
      roles: ['admin'],
    });
    return sessions.info(session);
  },
};

type UserChannels =
  | 'users:list'
  | 'users:create'
  | 'users:update'
  | 'users:setDisabled'
  | 'users:resetPassword'
  | 'users:unlock'
  | 'settings:get'
  | 'settings:update';

export const usersHandlers: HandlerMap<UserChannels> = {
  'users:list': (ctx) => listUsers(ctx.app.db).map((u) => toSummary(ctx.app.db, u)),

  'users:create': async (ctx, req) => {
    const { db, clock } = ctx.app;
    if (findByUsername(db, req.username)) {
      throw new AppError('CONFLICT', `The username "${req.username}" is taken.`, { field: 'username' });
    }
    const hash = await hashPassword(req.password);
    const id = ctx.write(
      (newId: number) => ({ type: 'user', id: newId, details: { username: req.username, roles: req.roles } }),
      (w) => {
        const newId = insertUser(w, {
          username: req.username,
          displayName: req.displayName,
          passwordHash: hash,
          createdAt: new Date(clock.now()).toISOString(),
        });
        setRoles(w, newId, req.roles);
        return newId;
      },
    );
    return toSummary(db, mustFind(db, id));
  },

  'users:update': (ctx, req) => {
    const { db, sessions } = ctx.app;
    const user = mustFind(db, req.id);
    if (req.roles && !req.roles.includes('admin')) assertNotLastAdmin(db, user.id, 'remove the admin role from');
    ctx.write({ type: 'user', id: user.id, details: { displayName: req.displayName, roles: req.roles } }, (w) => {
      if (req.displayName !== undefined) updateUser(w, user.id, { display_name: req.displayName });
      if (req.roles) setRoles(w, user.id, req.roles);
    });
    if (req.roles) sessions.updateRoles(user.id, rolesOf(db, user.id));
    return toSummary(db, mustFind(db, user.id));
  },

  'users:setDisabled': (ctx, req) => {
    const { db, sessions } = ctx.app;
    const user = mustFind(db, req.id);
    if (req.disabled) {
      if (ctx.session?.userId === user.id) throw new AppError('CONFLICT', 'You cannot disable your own account.');
      assertNotLastAdmin(db, user.id, 'disable');
    }
    ctx.write({ type: 'user', id: user.id, details: { disabled: req.disabled } }, (w) =>
      updateUser(w, user.id, { disabled: req.disabled ? 1 : 0 }),
    );
    if (req.disabled) sessions.endUser(user.id, 'disabled');
    return toSummary(db, mustFind(db, user.id));
  },

  'users:resetPassword': async (ctx, req) => {
    const user = mustFind(ctx.app.db, req.id);
    const hash = await hashPassword(req.password);
    ctx.write({ type: 'user', id: user.id }, (w) =>
      updateUser(w, user.id, { password_hash: hash, failed_logins: 0, locked_until: null }),
    );
    return null;
  },

  'users:unlock': (ctx, req) => {
    const user = mustFind(ctx.app.db, req.id);
    ctx.write({ type: 'user', id: user.id }, (w) => updateUser(w, user.id, { failed_logins: 0, locked_until: null }));
    return toSummary(ctx.app.db, mustFind(ctx.app.db, user.id));
  },

  'settings:get': (ctx) => ctx.app.settings.get(),

  'settings:update': (ctx, req) =>
    ctx.write({ type: 'settings', details: req }, (w) => ctx.app.settings.set(w, { ...ctx.app.settings.get(), ...req })),
};

function mustFind(db: Parameters<typeof findById>[0], id: number): UserRow {
  const user = findById(db, id);
  if (!user) throw new AppError('NOT_FOUND', `No user with id ${id}.`, { id });
  return user;
}

function requireSession<T>(session: T | null): T {
  if (!session) throw new AppError('UNAUTHENTICATED', 'Please log in first.');
  return session;
}

/** There must always be one enabled admin, or nobody could manage accounts again. */
function assertNotLastAdmin(db: Parameters<typeof findById>[0], userId: number, verb: string): void {
  const admins = db
    .prepare(
      "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'admin' AND u.disabled = 0",
    )
    .all() as { id: number }[];
  if (admins.length === 1 && admins[0]?.id === userId) {
    throw new AppError('CONFLICT', `You cannot ${verb} the last enabled administrator.`);
  }
}

