import type { SessionInfo } from '../../../../shared/contract';
import { currentLanguage, setLanguage, type Language } from '../../i18n';
import { useAuthStore } from '../auth/auth-store';
import { DATA_COMMANDS } from '../data/commands';
import { MODULES, titleKey, visibleModules, type ModuleId } from './modules';
import { useShellStore } from './shell-store';

/** What a command may look at to decide whether it applies. Plain data, read at the moment of use. */
export interface CommandContext {
  readonly session: SessionInfo | null;
  readonly language: Language;
}

export interface Shortcut {
  readonly key: string;
  readonly ctrl?: boolean;
  readonly alt?: boolean;
  readonly shift?: boolean;
}

/** A user action shared by buttons, menus and the keyboard (HOUSE-STYLE 18). */
export interface Command {
  readonly id: string;
  readonly labelKey: string;
  /** Interpolation values for the label; each value is itself a message key. */
  readonly labelParams?: Readonly<Record<string, string>>;
  readonly shortcut?: Shortcut;
  enabled(ctx: CommandContext): boolean;
  perform(ctx: CommandContext): void;
}

const loggedIn = (ctx: CommandContext) => ctx.session !== null;

const navigateCommand = (id: ModuleId, index: number): Command => ({
  id: `navigate.${id}`,
  labelKey: 'commands.navigate',
  labelParams: { module: titleKey(id) },
  shortcut: { key: String(index + 1), alt: true },
  enabled: (ctx) => ctx.session !== null && visibleModules(ctx.session.roles).some((m) => m.id === id),
  perform: () => useShellStore.getState().navigate(id),
});

const languageCommand = (language: Language, labelKey: string): Command => ({
  id: `language.${language}`,
  labelKey,
  enabled: (ctx) => ctx.language !== language,
  perform: () => setLanguage(language),
});

export const COMMANDS: readonly Command[] = [
  {
    id: 'session.lock',
    labelKey: 'commands.lock',
    shortcut: { key: 'l', ctrl: true },
    enabled: loggedIn,
    perform: () => void useAuthStore.getState().lock(),
  },
  {
    id: 'session.logout',
    labelKey: 'commands.logout',
    enabled: loggedIn,
    perform: () => void useAuthStore.getState().logout(),
  },
  languageCommand('en', 'commands.languageEn'),
  languageCommand('zh-CN', 'commands.languageZhCN'),
  ...MODULES.map((m, i) => navigateCommand(m.id, i)),
  ...DATA_COMMANDS,
];

export function commandContext(): CommandContext {
  return { session: useAuthStore.getState().session, language: currentLanguage() };
}

export function findCommand(id: string): Command | undefined {
  return COMMANDS.find((c) => c.id === id);
}

/** Runs a command if it is enabled now; returns whether it ran. */
export function runCommand(id: string, ctx: CommandContext = commandContext()): boolean {
  const command = findCommand(id);
  if (!command || !command.enabled(ctx)) return false;
  command.perform(ctx);
  return true;
}

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

export function matchesShortcut(shortcut: Shortcut, e: KeyLike): boolean {
  // Cmd on macOS stands for Ctrl, as users expect.
  const ctrl = e.ctrlKey || e.metaKey;
  return (
    e.key.toLowerCase() === shortcut.key.toLowerCase() &&
    ctrl === !!shortcut.ctrl &&
    e.altKey === !!shortcut.alt &&
    e.shiftKey === !!shortcut.shift
  );
}

/** The enabled command bound to this key press, if any. */
export function commandForKey(e: KeyLike, ctx: CommandContext = commandContext()): Command | undefined {
  return COMMANDS.find((c) => c.shortcut && matchesShortcut(c.shortcut, e) && c.enabled(ctx));
}

export function shortcutLabel(shortcut: Shortcut | undefined): string {
  if (!shortcut) return '';
  return [shortcut.ctrl && 'Ctrl', shortcut.alt && 'Alt', shortcut.shift && 'Shift', shortcut.key.toUpperCase()]
    .filter(Boolean)
    .join('+');
}
