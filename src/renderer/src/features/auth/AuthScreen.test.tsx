import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../App';
import { i18next, initI18n, LANGUAGE_STORAGE_KEY } from '../../i18n';
import { err, installFakeApi, ok, session, type FakeApi } from '../../test-support/fake-api';
import { resetAuthStore } from './auth-store';

let fake: FakeApi;

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const flush = () => act(async () => {});

beforeAll(() => initI18n('en'));
beforeEach(() => {
  fake = installFakeApi();
  resetAuthStore();
  localStorage.clear();
});
afterEach(async () => {
  cleanup();
  await i18next.changeLanguage('en');
});

describe('login screen', () => {
  it('logs in and shows the shell with the person and their roles', async () => {
    fake.api.auth.status.mockResolvedValue(ok({ setupRequired: false, session: null }));
    fake.api.auth.login.mockResolvedValue(ok(session()));
    render(<App />);
    await flush();
    type('login-username', ' anna ');
    type('login-password', 'secret-pass');
    fireEvent.click(screen.getByTestId('login-submit'));
    await flush();
    expect(fake.api.auth.login).toHaveBeenCalledWith({ username: 'anna', password: 'secret-pass' });
    expect(screen.getByTestId('header-user-name').textContent).toBe('Anna Annotator');
    expect(screen.getByTestId('header-user-roles').textContent).toBe('Annotator');
  });

  it('shows a wrong password with its translated title and the server message', async () => {
    fake.api.auth.status.mockResolvedValue(ok({ setupRequired: false, session: null }));
    fake.api.auth.login.mockResolvedValue(err('UNAUTHENTICATED', 'Wrong username or password.'));
    render(<App />);
    await flush();
    type('login-username', 'anna');
    type('login-password', 'nope');
    fireEvent.click(screen.getByTestId('login-submit'));
    await flush();
    expect(screen.getByTestId('auth-error-title').textContent).toBe('Not logged in');
    expect(screen.getByTestId('auth-error-message').textContent).toBe('Wrong username or password.');
    expect(screen.getByTestId('login-form')).toBeTruthy();
  });

  it('refuses a setup whose passwords differ without calling main', async () => {
    fake.api.auth.status.mockResolvedValue(ok({ setupRequired: true, session: null }));
    render(<App />);
    await flush();
    type('setup-username', 'root');
    type('setup-displayName', 'Root');
    type('setup-password', 'long-password-1');
    type('setup-confirm', 'long-password-2');
    fireEvent.click(screen.getByTestId('setup-submit'));
    await flush();
    expect(screen.getByTestId('auth-error-message').textContent).toBe('The two passwords do not match.');
    expect(fake.api.setup.createAdmin).not.toHaveBeenCalled();
  });

  it('logs out from the header and says so', async () => {
    fake.api.auth.status.mockResolvedValue(ok({ setupRequired: false, session: session() }));
    render(<App />);
    await flush();
    fireEvent.click(screen.getByTestId('logout'));
    await flush();
    expect(fake.api.auth.logout).toHaveBeenCalledWith({ reason: 'logout' });
    expect(screen.getByTestId('login-notice').textContent).toBe('You have logged out.');
  });

  it('switches to Chinese and remembers the choice', async () => {
    fake.api.auth.status.mockResolvedValue(ok({ setupRequired: false, session: null }));
    render(<App />);
    await flush();
    fireEvent.click(screen.getByTestId('lang-zh-CN'));
    await flush();
    expect(screen.getByTestId('login-submit').textContent).toBe('登录');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
  });
});
