import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeApi, session } from '../../test-support/fake-api';
import { resetAuthStore } from '../auth/auth-store';
import { commandForKey, COMMANDS, findCommand, runCommand, shortcutLabel, type CommandContext } from './commands';
import { useShellStore } from './shell-store';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...mods,
});
const annotator: CommandContext = { session: session({ roles: ['annotator'] }), language: 'en' };
const nobody: CommandContext = { session: null, language: 'en' };

beforeEach(() => {
  installFakeApi();
  resetAuthStore();
  useShellStore.getState().reset();
});

describe('commands', () => {
  it('have unique ids and message keys', () => {
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length);
    expect(COMMANDS.every((c) => c.labelKey.startsWith('commands.'))).toBe(true);
  });

  it('bind Ctrl+L to lock only while someone is logged in', () => {
    expect(commandForKey(key('l', { ctrlKey: true }), annotator)?.id).toBe('session.lock');
    expect(commandForKey(key('L', { ctrlKey: true }), annotator)?.id).toBe('session.lock');
    expect(commandForKey(key('l', { ctrlKey: true }), nobody)).toBeUndefined();
    expect(commandForKey(key('l'), annotator)).toBeUndefined();
    expect(shortcutLabel(findCommand('session.lock')?.shortcut)).toBe('Ctrl+L');
  });

  it('navigate only to modules the roles allow', () => {
    expect(findCommand('navigate.inbox')?.enabled(annotator)).toBe(true);
    expect(findCommand('navigate.admin')?.enabled(annotator)).toBe(false);
    expect(runCommand('navigate.admin', annotator)).toBe(false);
    expect(runCommand('navigate.workspace', annotator)).toBe(true);
    expect(useShellStore.getState().current).toBe('workspace');
  });

  it('offer only the language that is not already chosen', () => {
    expect(findCommand('language.en')?.enabled(nobody)).toBe(false);
    expect(findCommand('language.zh-CN')?.enabled(nobody)).toBe(true);
  });
});
