import { beforeEach, describe, expect, it } from 'vitest';
import { onUnauthenticated, reportError, useErrorStore } from '../../core/error-store';
import { err, installFakeApi, ok, session, type FakeApi } from '../../test-support/fake-api';
import { resetAuthStore, useAuthStore } from './auth-store';

let fake: FakeApi;
const state = () => useAuthStore.getState();

beforeEach(() => {
  fake = installFakeApi();
  resetAuthStore();
  useErrorStore.getState().clear();
});

describe('auth store: login flow', () => {
  it('asks for the administrator on first start', async () => {
    fake.api.auth.status.mockResolvedValue(ok({ setupRequired: true, session: null }));
    await state().init();
    expect(state().phase).toBe('setup');
  });

  it('logs the new administrator in after setup', async () => {
    fake.api.auth.status.mockResolvedValue(ok({ setupRequired: true, session: null }));
    const admin = session({ userId: 1, username: 'root', displayName: 'Root', roles: ['admin'] });
    fake.api.setup.createAdmin.mockResolvedValue(ok(admin));
    await state().init();
    expect(await state().createAdmin('root', 'Root', 'long-enough')).toBe(true);
    expect(fake.api.setup.createAdmin).toHaveBeenCalledWith({ username: 'root', displayName: 'Root', password: 'long-enough' });
    expect(state().phase).toBe('ready');
    expect(state().session).toEqual(admin);
  });

  it('shows the login form when users exist and nobody is logged in', async () => {
    fake.api.auth.status.mockResolvedValue(ok({ setupRequired: false, session: null }));
    await state().init();
    expect(state().phase).toBe('login');
  });

  it('resumes a session main still holds', async () => {
    fake.api.auth.status.mockResolvedValue(ok({ setupRequired: false, session: session() }));
    await state().init();
    expect(state().phase).toBe('ready');
  });

  it('keeps the login form with the error when the password is wrong', async () => {
    fake.api.auth.status.mockResolvedValue(ok({ setupRequired: false, session: null }));
    fake.api.auth.login.mockResolvedValue(err('UNAUTHENTICATED', 'Wrong username or password.'));
    await state().init();
    expect(await state().login('anna', 'nope')).toBe(false);
    expect(state().phase).toBe('login');
    expect(state().error).toEqual({ code: 'UNAUTHENTICATED', message: 'Wrong username or password.' });
    expect(state().busy).toBe(false);
  });

  it('enters the shell after a good login and clears the error', async () => {
    fake.api.auth.login.mockResolvedValueOnce(err('FORBIDDEN', 'disabled')).mockResolvedValueOnce(ok(session()));
    await state().login('anna', 'x');
    await state().login('anna', 'right-password');
    expect(fake.api.auth.login).toHaveBeenLastCalledWith({ username: 'anna', password: 'right-password' });
    expect(state().phase).toBe('ready');
    expect(state().error).toBeNull();
  });

  it('shows a failure screen when main cannot answer the status', async () => {
    fake.api.auth.status.mockResolvedValue(err('DB_CORRUPT', 'damaged'));
    await state().init();
    expect(state().phase).toBe('failed');
    expect(state().error?.code).toBe('DB_CORRUPT');
  });

  it('turns a thrown transport error into an INTERNAL error', async () => {
    fake.api.auth.status.mockRejectedValue(new Error('binding closed'));
    await state().init();
    expect(state().error).toEqual({ code: 'INTERNAL', message: 'binding closed' });
  });
});

describe('auth store: ending a session', () => {
  beforeEach(async () => {
    fake.api.auth.login.mockResolvedValue(ok(session({ idleMinutes: 7 })));
    await state().login('anna', 'pw');
  });

  it('logs out with reason logout and says so', async () => {
    await state().logout();
    expect(fake.api.auth.logout).toHaveBeenCalledWith({ reason: 'logout' });
    expect(state().phase).toBe('login');
    expect(state().notice).toEqual({ kind: 'loggedOut' });
    expect(state().lastUsername).toBe('anna');
  });

  it('locks on request and tells main to end the session', async () => {
    await state().lock();
    expect(fake.api.auth.logout).toHaveBeenCalledWith({ reason: 'logout' });
    expect(state().notice).toEqual({ kind: 'locked' });
  });

  it('reports the idle minutes when the idle timer ends the session', async () => {
    await state().expireIdle();
    expect(fake.api.auth.logout).toHaveBeenCalledWith({ reason: 'idle' });
    expect(state().notice).toEqual({ kind: 'idle', minutes: 7 });
  });

  it('shows the disabled notice when main ends the session of a disabled account', () => {
    state().sessionEnded('disabled');
    expect(state().phase).toBe('login');
    expect(state().notice).toEqual({ kind: 'disabled' });
    expect(fake.api.auth.logout).not.toHaveBeenCalled();
  });

  it('keeps the first notice when main confirms an idle logout the renderer started', async () => {
    await state().expireIdle();
    state().sessionEnded('idle');
    state().sessionEnded('logout');
    expect(state().notice).toEqual({ kind: 'idle', minutes: 7 });
  });

  it('returns to login when any call answers UNAUTHENTICATED', () => {
    const off = onUnauthenticated(() => state().sessionLost());
    reportError({ code: 'UNAUTHENTICATED', message: 'Please log in first.' });
    off();
    expect(state().phase).toBe('login');
    expect(state().notice).toEqual({ kind: 'expired' });
    expect(useErrorStore.getState().errors).toEqual([]);
  });
});
