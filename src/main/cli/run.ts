import type { CliIo, ExitCode } from './command';
import { eagerCommands } from './commands/eager';
import { dispatch } from './dispatch';

/**
 * Runs one CLI invocation in process, for tests and the e2e set-up. Every command is imported
 * up front here: Playwright's TypeScript loader cannot follow a dynamic import() from a
 * CommonJS test (Node 20), so the lazy table (commands/index.ts) serves only the built `midc`
 * binary (main.ts), where loading only the command that runs matters.
 */
export function runCli(argv: readonly string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  return dispatch(eagerCommands, argv, io, env);
}
