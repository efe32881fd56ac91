import { act, cleanup, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors';
import { reportError, useErrorStore } from '../core/error-store';
import { i18next, initI18n } from '../i18n';
import { ErrorBanner } from './ErrorBanner';
import { ErrorToasts } from './ErrorToasts';

const EN_TITLES: Record<ErrorCode, string> = {
  VALIDATION: 'Invalid input',
  UNAUTHENTICATED: 'Not logged in',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  STORAGE_IO: 'Storage error',
  DB_CORRUPT: 'Database damaged',
  INTERNAL: 'Internal error',
};

beforeAll(() => initI18n('en'));
beforeEach(() => useErrorStore.getState().clear());
afterEach(cleanup);
afterAll(() => void i18next.changeLanguage('en'));

describe('error display', () => {
  it.each(ERROR_CODES)('shows %s with its own title and the server message', (code) => {
    render(<ErrorBanner error={{ code, message: `server says ${code}` }} />);
    const banner = screen.getByTestId('error-banner');
    expect(banner.dataset.code).toBe(code);
    expect(banner.getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('error-banner-title').textContent).toBe(EN_TITLES[code]);
    expect(screen.getByTestId('error-banner-message').textContent).toBe(`server says ${code}`);
  });

  it('gives every code a distinct title in both languages', async () => {
    for (const lng of ['en', 'zh-CN']) {
      await i18next.changeLanguage(lng);
      const titles = ERROR_CODES.map((code) => i18next.t(`errors.${code}`));
      expect(new Set(titles).size).toBe(ERROR_CODES.length);
      expect(titles.every((title, i) => title !== `errors.${ERROR_CODES[i]}`)).toBe(true);
    }
    await i18next.changeLanguage('en');
  });

  it('shows the Chinese title when the language is Chinese', async () => {
    await i18next.changeLanguage('zh-CN');
    render(<ErrorBanner error={{ code: 'FORBIDDEN', message: 'Your roles do not allow users:create.' }} />);
    expect(screen.getByTestId('error-banner-title').textContent).toBe('无权操作');
    await i18next.changeLanguage('en');
  });

  it('stacks errors of background calls as toasts that can be dismissed', () => {
    render(<ErrorToasts />);
    act(() => {
      reportError({ code: 'STORAGE_IO', message: 'disk full' });
      reportError({ code: 'CONFLICT', message: 'taken' });
    });
    expect(screen.getAllByTestId('error-toast').map((e) => e.dataset.code)).toEqual(['STORAGE_IO', 'CONFLICT']);
    act(() => screen.getAllByRole('button', { name: 'Dismiss' })[0]?.click());
    expect(screen.getAllByTestId('error-toast').map((e) => e.dataset.code)).toEqual(['CONFLICT']);
  });
});
