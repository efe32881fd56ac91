import type { SessionEndReason } from '../../../../shared/contract';
import { settle } from '../../core/result';

/** The only module of the auth feature that touches window.api (HOUSE-STYLE 15). */
export const authApi = {
  status: () => settle(() => window.api.auth.status({})),
  login: (username: string, password: string) => settle(() => window.api.auth.login({ username, password })),
  createAdmin: (username: string, displayName: string, password: string) =>
    settle(() => window.api.setup.createAdmin({ username, displayName, password })),
  logout: (reason: 'logout' | 'idle') => settle(() => window.api.auth.logout({ reason })),
  heartbeat: () => settle(() => window.api.auth.heartbeat({})),
  onSessionEnded: (listener: (reason: SessionEndReason) => void) =>
    window.api.events.onSessionEnded((payload) => listener(payload.reason)),
};
