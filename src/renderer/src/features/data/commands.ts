import type { Command } from '../shell/commands';
import { visibleModules } from '../shell/modules';
import { useShellStore } from '../shell/shell-store';
import { useDataUiStore } from './data-ui-store';

/** The Data & import module's commands (HOUSE-STYLE 18), listed in the shell's COMMANDS. */
export const DATA_COMMANDS: readonly Command[] = [
  {
    id: 'data.import',
    labelKey: 'commands.openImport',
    shortcut: { key: 'i', ctrl: true },
    enabled: (ctx) => ctx.session !== null && visibleModules(ctx.session.roles).some((m) => m.id === 'data'),
    perform: () => {
      useShellStore.getState().navigate('data');
      useDataUiStore.getState().setTab('import');
    },
  },
];
