import { create } from 'zustand';
import type { SessionEndReason, SessionInfo } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { useErrorStore } from '../../core/error-store';
import { authApi } from './api';

/**
 * loading: asking main whether anyone is logged in; setup: first start, no user exists;
 * login: the login form; ready: a session; failed: main could not answer (shown with retry).
 */
export type AuthPhase = 'loading' | 'setup' | 'login' | 'ready' | 'failed';

/** Why the login screen is showing, told to the person above the form. */
export type AuthNotice =
  | { readonly kind: 'idle'; readonly minutes: number }
  | { readonly kind: 'locked' }
  | { readonly kind: 'loggedOut' }
  | { readonly kind: 'disabled' }
  | { readonly kind: 'expired' };

export interface AuthState {
  readonly phase: AuthPhase;
  readonly session: SessionInfo | null;
  readonly notice: AuthNotice | null;
  /** The error of the last form submission (login, setup), shown inline. */
  readonly error: ErrorData | null;
  readonly busy: boolean;
  /** Prefilled after a lock so the same person only types the password. */
  readonly lastUsername: string;
  init(): Promise<void>;
  login(username: string, password: string): Promise<boolean>;
  createAdmin(username: string, displayName: string, password: string): Promise<boolean>;
  /** The person asked to log out. */
  logout(): Promise<void>;
  /** "Lock now": the session ends at once, the login screen says the screen was locked. */
  lock(): Promise<void>;
  /** The renderer's idle timer ran out. */
  expireIdle(): Promise<void>;
  /** Main told us the session ended (idle check, account disabled, logout elsewhere). */
  sessionEnded(reason: SessionEndReason): void;
  /** A call answered UNAUTHENTICATED: the session is gone on the main side. */
  sessionLost(): void;
  setError(error: ErrorData | null): void;
  /** The admin changed the idle time: this window's timer follows at once (main already does). */
  setIdleMinutes(minutes: number): void;
}

const initial = {
  phase: 'loading' as AuthPhase,
  session: null,
  notice: null,
  error: null,
  busy: false,
  lastUsername: '',
};

export const useAuthStore = create<AuthState>()((set, get) => {
  /**
   * Shows the login screen first, then tells main: an event main sends back while the call
   * is in flight (session:ended) then finds us already logged out and changes nothing.
   */
  const end = (notice: AuthNotice | null, apiReason?: 'logout' | 'idle'): Promise<unknown> => {
    const { session, phase } = get();
    if (phase !== 'ready') return Promise.resolve();
    set({ phase: 'login', session: null, notice, error: null, busy: false, lastUsername: session?.username ?? '' });
    useErrorStore.getState().clear();
    return apiReason ? authApi.logout(apiReason) : Promise.resolve();
  };

  const enter = (session: SessionInfo) => {
    set({ phase: 'ready', session, notice: null, error: null, busy: false, lastUsername: session.username });
    useErrorStore.getState().clear();
  };

  return {
    ...initial,

    async init() {
      set({ phase: 'loading', error: null });
      const result = await authApi.status();
      if (!result.ok) {
        set({ phase: 'failed', error: result.error });
        return;
      }
      const { setupRequired, session } = result.value;
      if (session) enter(session);
      else set({ phase: setupRequired ? 'setup' : 'login', session: null });
    },

    async login(username, password) {
      set({ busy: true, error: null });
      const result = await authApi.login(username, password);
      if (!result.ok) {
        set({ busy: false, error: result.error });
        return false;
      }
      enter(result.value);
      return true;
    },

    async createAdmin(username, displayName, password) {
      set({ busy: true, error: null });
      const result = await authApi.createAdmin(username, displayName, password);
      if (!result.ok) {
        // Someone else finished the setup meanwhile: the login form is the way on.
        set({ busy: false, error: result.error, ...(result.error.code === 'CONFLICT' ? { phase: 'login' as const } : {}) });
        return false;
      }
      enter(result.value);
      return true;
    },

    async logout() {
      await end({ kind: 'loggedOut' }, 'logout');
    },

    async lock() {
      // The contract knows two reasons, 'logout' and 'idle'; a deliberate lock is a logout.
      await end({ kind: 'locked' }, 'logout');
    },

    async expireIdle() {
      const minutes = get().session?.idleMinutes ?? 0;
      await end({ kind: 'idle', minutes }, 'idle');
    },

    sessionEnded(reason) {
      const minutes = get().session?.idleMinutes ?? 0;
      const notice: AuthNotice =
        reason === 'idle' ? { kind: 'idle', minutes } : reason === 'disabled' ? { kind: 'disabled' } : { kind: 'loggedOut' };
      void end(notice);
    },

    sessionLost() {
      void end({ kind: 'expired' });
    },

    setError(error) {
      set({ error });
    },

    setIdleMinutes(idleMinutes) {
      const { session } = get();
      if (session && session.idleMinutes !== idleMinutes) set({ session: { ...session, idleMinutes } });
    },
  };
});

/** For tests: back to the state before init(). */
export function resetAuthStore(): void {
  useAuthStore.setState(initial);
}
