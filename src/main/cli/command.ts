/** Exit codes of DESIGN §7. */
export const EXIT = { OK: 0, PARTIAL: 1, USAGE: 2, INTEGRITY: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CliIo {
  /** Machine-readable results (only JSON when --json is given). */
  stdout(text: string): void;
  /** Messages for people: progress, warnings, errors. */
  stderr(text: string): void;
}

export interface GlobalOptions {
  /** Absolute path of the workspace folder. */
  readonly workspace: string;
  readonly json: boolean;
}

/** What `midc --help` and usage errors show; known without loading the command's code. */
export interface CommandInfo {
  readonly name: string;
  readonly summary: string;
  /** Full usage text shown by `midc help NAME` and on usage errors. */
  readonly usage: string;
}

export interface Command extends CommandInfo {
  /**
   * Receives the arguments after the command name, with the global options removed.
   * Returns the exit code; throws UsageError for bad arguments.
   */
  run(args: string[], options: GlobalOptions, io: CliIo): Promise<ExitCode>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Prints a result: JSON on stdout with --json, otherwise the human-readable text. */
export function emit(io: CliIo, options: GlobalOptions, value: unknown, human: string): void {
  if (options.json) io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  else io.stdout(human.endsWith('\n') ? human : `${human}\n`);
}

/** `--name value` or `--name=value` pairs; anything else is a usage error. */
export function parseFlags(args: readonly string[], allowed: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!allowed.includes(name)) throw new UsageError(`unexpected argument "${arg}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (!value || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
    flags.set(name, value);
  }
  return flags;
}
