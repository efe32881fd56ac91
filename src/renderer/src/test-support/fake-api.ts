import { vi, type Mock } from 'vitest';
import type { SessionEndReason, SessionInfo } from '../../../shared/contract';
import type { ErrorCode, Result } from '../../../shared/errors';

/** A person as main would describe them after login. */
export function session(overrides: Partial<SessionInfo> = {}): SessionInfo {
  return { userId: 2, username: 'anna', displayName: 'Anna Annotator', roles: ['annotator'], idleMinutes: 10, ...overrides };
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (code: ErrorCode, message = `${code} from main`): Result<never> => ({ ok: false, error: { code, message } });

type Fn = Mock<(request: unknown) => Promise<Result<unknown>>>;
type Listener = (payload: { reason: SessionEndReason }) => void;

function makeApi(listeners: Set<Listener>) {
  const fn = (): Fn => vi.fn(async () => ok(null));
  return {
    auth: { status: fn(), login: fn(), logout: fn(), heartbeat: fn(), changePassword: fn() },
    setup: { createAdmin: fn() },
    users: { list: fn(), create: fn(), update: fn(), setDisabled: fn(), resetPassword: fn(), unlock: fn() },
    settings: { get: fn(), update: fn() },
    audit: { list: fn(), verify: fn() },
    system: { info: fn(), reportBlocked: fn() },
    events: {
      onSessionEnded: vi.fn((listener: Listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      }),
    },
  };
}

export interface FakeApi {
  readonly api: ReturnType<typeof makeApi>;
  /** Delivers main's session:ended event to the subscribed renderer. */
  endSession(reason: SessionEndReason): void;
}

/**
 * A window.api stand-in: every channel a vi.fn answering `{ok: true, value: null}` unless a test
 * says otherwise. Installed on window, as the preload would.
 */
export function installFakeApi(): FakeApi {
  const listeners = new Set<Listener>();
  const api = makeApi(listeners);
  Object.defineProperty(window, 'api', { value: api, configurable: true, writable: true });
  return {
    api,
    endSession: (reason) => {
      for (const l of listeners) l({ reason });
    },
  };
}
