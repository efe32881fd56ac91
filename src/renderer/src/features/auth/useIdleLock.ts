import { useEffect } from 'react';
import { valueOrReport } from '../../core/result';
import { authApi } from './api';
import { startIdleTimer } from './idle-timer';
import { useAuthStore } from './auth-store';

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * While someone is logged in: lock after the session's idle minutes without activity, send a
 * throttled heartbeat while they are active, and follow main's session:ended events.
 */
export function useIdleLock(): void {
  const idleMinutes = useAuthStore((s) => s.session?.idleMinutes ?? null);

  useEffect(() => {
    if (idleMinutes === null) return;
    const timer = startIdleTimer({
      idleMs: idleMinutes * 60_000,
      onIdle: () => void useAuthStore.getState().expireIdle(),
      onHeartbeat: () => void authApi.heartbeat().then(valueOrReport),
    });
    const onActivity = () => timer.activity();
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { passive: true, capture: true });
    return () => {
      timer.stop();
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [idleMinutes]);
}

/** Subscribes once for the app's lifetime: main may end a session at any time. */
export function useSessionEvents(): void {
  useEffect(() => authApi.onSessionEnded((reason) => useAuthStore.getState().sessionEnded(reason)), []);
}
