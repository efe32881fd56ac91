import { afterEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../../../shared/contract';
import type { Role } from '../../../../shared/roles';
import type { CommandContext } from '../shell/commands';
import { useShellStore } from '../shell/shell-store';
import { RESULTS_COMMANDS, runResultsCommand } from './commands';
import { useCompareStore } from './compare-store';
import { useRunsStore } from './runs-store';

const ctx = (roles: Role[]): CommandContext => ({ session: { roles } as unknown as SessionInfo, language: 'en' });

describe('results commands', () => {
  afterEach(() => {
    useRunsStore.getState().reset();
    useCompareStore.getState().reset();
  });

  it('offers a new run to engineers only', () => {
    const newRun = RESULTS_COMMANDS.find((c) => c.id === 'results.newRun');
    expect(newRun?.enabled(ctx(['algo_engineer']))).toBe(true);
    expect(newRun?.enabled(ctx(['expert', 'algo_admin']))).toBe(false);
    expect(newRun?.enabled({ session: null, language: 'en' })).toBe(false);
  });

  it('compares only when two runs are ticked, then shows the comparison tab', () => {
    expect(runResultsCommand('results.compare', ctx(['expert']))).toBe(false);
    useRunsStore.getState().pick([4, 7]);
    // The call goes out to window.api, which a unit test does not have: the store records the
    // failure as an error and the command still switched the screen.
    expect(runResultsCommand('results.compare', ctx(['expert']))).toBe(true);
    expect(useRunsStore.getState().tab).toBe('compare');
    expect(useShellStore.getState().current).toBe('results');
    expect(useCompareStore.getState().runIds).toEqual([4, 7]);
    expect(useCompareStore.getState().baselineId).toBe(4);
  });
});
