import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage } from '../../i18n';
import { useAuthStore } from '../auth/auth-store';
import { commandContext, commandForKey, type CommandContext } from './commands';

/** The context, as React state: components re-render when the session or language changes. */
export function useCommandContext(): CommandContext {
  const session = useAuthStore((s) => s.session);
  const { i18n } = useTranslation();
  return { session, language: isLanguage(i18n.language) ? i18n.language : 'en' };
}

/** One keydown listener for every command shortcut. */
export function useCommandShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat) return;
      const command = commandForKey(e);
      if (!command) return;
      // Ctrl+L must not reach the browser (address bar in the Chromium host).
      e.preventDefault();
      command.perform(commandContext());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
