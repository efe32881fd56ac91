import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeApi, session } from '../../test-support/fake-api';
import { commandForKey, runCommand, type CommandContext } from '../shell/commands';
import { useShellStore } from '../shell/shell-store';
import { useDataUiStore } from './data-ui-store';

const ctrlI = { key: 'i', ctrlKey: true, altKey: false, shiftKey: false, metaKey: false };
const ops: CommandContext = { session: session({ roles: ['ops'] }), language: 'en' };
const annotator: CommandContext = { session: session({ roles: ['annotator'] }), language: 'en' };

beforeEach(() => {
  installFakeApi();
  useShellStore.getState().reset();
  useDataUiStore.getState().setTab('browser');
});

describe('data commands', () => {
  it('Ctrl+I opens the import wizard for ops', () => {
    expect(commandForKey(ctrlI, ops)?.id).toBe('data.import');
    expect(runCommand('data.import', ops)).toBe(true);
    expect(useShellStore.getState().current).toBe('data');
    expect(useDataUiStore.getState().tab).toBe('import');
  });

  it('Ctrl+I does nothing for people without the Data module', () => {
    expect(commandForKey(ctrlI, annotator)).toBeUndefined();
    expect(runCommand('data.import', annotator)).toBe(false);
    expect(useShellStore.getState().current).toBeNull();
  });
});
