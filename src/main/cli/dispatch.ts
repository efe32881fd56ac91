import path from 'node:path';
import { AppError } from '../../shared/errors';
import { defaultWorkspaceDir } from '../workspace/workspace';
import { EXIT, UsageError, type CliIo, type CommandInfo, type ExitCode } from './command';
import type { CommandEntry } from './commands';

const GLOBAL_HELP = (list: readonly CommandInfo[]) => `midc - MIDC, the Medical Imaging Data Center, on the command line

Usage: midc <command> [options]

Commands:
${list.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Options for every command:
  --workspace DIR   the workspace folder (default: ${defaultWorkspaceDir()})
  --json            machine-readable result on stdout; messages go to stderr
  --help            help for the command

Exit codes: 0 ok, 1 done with some items refused, 2 usage error, 3 integrity failure.
`;

/**
 * Runs one CLI invocation against a command table. Global options may appear anywhere;
 * everything else goes to the command. Errors become exit codes and one clear message on stderr.
 */
export async function dispatch(commands: readonly CommandEntry[], argv: readonly string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<ExitCode> {
  const rest: string[] = [];
  let workspace: string | undefined;
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--workspace' || arg.startsWith('--workspace=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!value) {
        io.stderr('midc: --workspace needs a folder\n');
        return EXIT.USAGE;
      }
      workspace = value;
    } else rest.push(arg);
  }
  const [name, ...args] = rest;
  if (!name || name === 'help') {
    const target = args[0] ? commands.find((c) => c.name === args[0]) : undefined;
    io.stdout(target ? target.usage : GLOBAL_HELP(commands));
    return name || help ? EXIT.OK : EXIT.USAGE;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`midc: unknown command "${name}". Run "midc --help" for the list.\n`);
    return EXIT.USAGE;
  }
  if (help) {
    io.stdout(command.usage);
    return EXIT.OK;
  }
  const options = { workspace: path.resolve(workspace ?? defaultWorkspaceDir(env)), json };
  try {
    // The command's code is loaded here, on use (see commands/index.ts).
    return await (await command.load()).run(args, options, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`midc ${name}: ${err.message}\n\n${command.usage}`);
      return EXIT.USAGE;
    }
    if (err instanceof AppError) {
      io.stderr(`midc ${name}: ${err.message}\n`);
      if (json) io.stdout(`${JSON.stringify({ error: err.toData() })}\n`);
      return err.code === 'DB_CORRUPT' ? EXIT.INTEGRITY : err.code === 'VALIDATION' ? EXIT.USAGE : EXIT.PARTIAL;
    }
    io.stderr(`midc ${name}: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.PARTIAL;
  }
}
