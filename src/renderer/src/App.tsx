import { useEffect } from 'react';
import { onUnauthenticated } from './core/error-store';
import { AuthScreen } from './features/auth/AuthScreen';
import { useAuthStore } from './features/auth/auth-store';
import { useIdleLock, useSessionEvents } from './features/auth/useIdleLock';
import { Shell } from './features/shell/Shell';
import { useShellStore } from './features/shell/shell-store';
import { useCommandShortcuts } from './features/shell/useCommands';
import { ErrorToasts } from './ui/ErrorToasts';

export function App() {
  const phase = useAuthStore((s) => s.phase);
  const session = useAuthStore((s) => s.session);

  useEffect(() => {
    const off = onUnauthenticated(() => useAuthStore.getState().sessionLost());
    void useAuthStore.getState().init();
    return off;
  }, []);
  // Each login starts at the person's first module, not where the previous person left off.
  useEffect(() => {
    if (!session) useShellStore.getState().reset();
  }, [session]);
  useSessionEvents();
  useIdleLock();
  useCommandShortcuts();

  return (
    <>
      {phase === 'ready' && session ? <Shell session={session} /> : <AuthScreen />}
      <ErrorToasts />
    </>
  );
}
