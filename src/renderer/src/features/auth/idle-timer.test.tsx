import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import { initI18n } from '../../i18n';
import { installFakeApi, ok, session, type FakeApi } from '../../test-support/fake-api';
import { resetAuthStore } from './auth-store';
import { startIdleTimer } from './idle-timer';

const MINUTE = 60_000;

beforeAll(() => initI18n('en'));
beforeEach(() => {
  vi.useFakeTimers();
  resetAuthStore();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('idle timer', () => {
  it('fires once after the idle time without activity', () => {
    const onIdle = vi.fn();
    startIdleTimer({ idleMs: 10 * MINUTE, onIdle });
    vi.advanceTimersByTime(10 * MINUTE - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60 * MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('starts counting again at each activity', () => {
    const onIdle = vi.fn();
    const timer = startIdleTimer({ idleMs: 10 * MINUTE, onIdle });
    vi.advanceTimersByTime(9 * MINUTE);
    timer.activity();
    vi.advanceTimersByTime(9 * MINUTE);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('sends a heartbeat at most once per minute while the person is active', () => {
    const onHeartbeat = vi.fn();
    const timer = startIdleTimer({ idleMs: 10 * MINUTE, onIdle: vi.fn(), onHeartbeat });
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(2_000);
      timer.activity();
    }
    // 100 s of activity: one heartbeat after the first minute, none before.
    expect(onHeartbeat).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(MINUTE);
    timer.activity();
    expect(onHeartbeat).toHaveBeenCalledTimes(2);
  });

  it('does nothing once stopped', () => {
    const onIdle = vi.fn();
    const timer = startIdleTimer({ idleMs: MINUTE, onIdle });
    timer.stop();
    vi.advanceTimersByTime(5 * MINUTE);
    expect(onIdle).not.toHaveBeenCalled();
  });
});

describe('idle lock in the app', () => {
  let fake: FakeApi;

  const loggedInApp = async (idleMinutes: number) => {
    fake = installFakeApi();
    fake.api.auth.status.mockResolvedValue(ok({ setupRequired: false, session: session({ idleMinutes }) }));
    render(<App />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(screen.getByTestId('shell')).toBeTruthy();
  };

  it('locks after the idle minutes and says why', async () => {
    await loggedInApp(3);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3 * MINUTE);
    });
    expect(fake.api.auth.logout).toHaveBeenCalledWith({ reason: 'idle' });
    expect(screen.getByTestId('login-notice').textContent).toBe('Locked after 3 minutes of inactivity. Log in again to continue.');
    expect((screen.getByTestId('login-username') as HTMLInputElement).value).toBe('anna');
  });

  it('stays unlocked while the person keeps working, and reports activity', async () => {
    await loggedInApp(2);
    for (let i = 0; i < 6; i++) {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(MINUTE);
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
      });
    }
    expect(screen.getByTestId('shell')).toBeTruthy();
    expect(fake.api.auth.logout).not.toHaveBeenCalled();
    expect(fake.api.auth.heartbeat.mock.calls.length).toBeGreaterThanOrEqual(5);
  });

  it('locks at once with Ctrl+L', async () => {
    await loggedInApp(10);
    await act(async () => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'l', ctrlKey: true }));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(fake.api.auth.logout).toHaveBeenCalledWith({ reason: 'logout' });
    expect(screen.getByTestId('login-notice').dataset.kind).toBe('locked');
  });

  it('returns to login when main reports the account disabled', async () => {
    await loggedInApp(10);
    await act(async () => {
      fake.endSession('disabled');
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(screen.getByTestId('login-notice').textContent).toBe('Your account was disabled by an administrator.');
  });
});
