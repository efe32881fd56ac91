import type { Command, CommandContext } from '../shell/commands';
import { useShellStore } from '../shell/shell-store';
import { useCompareStore } from './compare-store';
import { useRunsStore } from './runs-store';

const isEngineer = (ctx: CommandContext) => ctx.session?.roles.includes('algo_engineer') ?? false;
const seesResults = (ctx: CommandContext) => ctx.session?.roles.some((r) => r === 'algo_engineer' || r === 'algo_admin' || r === 'expert') ?? false;

/**
 * The Results module's commands (HOUSE-STYLE 18). Its toolbar runs them through
 * `runResultsCommand`. They have no keyboard shortcut, so they stay out of the shell's global
 * table (whose labels live under `commands.`).
 */
export const RESULTS_COMMANDS: readonly Command[] = [
  {
    id: 'results.newRun',
    labelKey: 'results.commands.newRun',
    enabled: isEngineer,
    perform: () => {
      useShellStore.getState().navigate('results');
      useRunsStore.getState().setTab('runs');
      useRunsStore.getState().openImport(true);
    },
  },
  {
    id: 'results.compare',
    labelKey: 'results.commands.compare',
    enabled: (ctx) => seesResults(ctx) && useRunsStore.getState().picked.length >= 2,
    perform: () => {
      useCompareStore.getState().setRuns(useRunsStore.getState().picked);
      useShellStore.getState().navigate('results');
      useRunsStore.getState().setTab('compare');
      void useCompareStore.getState().compare();
    },
  },
];

/** Runs one of this module's commands if it is enabled now; returns whether it ran. */
export function runResultsCommand(id: string, ctx: CommandContext): boolean {
  const command = RESULTS_COMMANDS.find((c) => c.id === id);
  if (!command || !command.enabled(ctx)) return false;
  command.perform(ctx);
  return true;
}
