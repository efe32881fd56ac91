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

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full usage text shown by `midc help NAME` and on usage errors. */
  readonly usage: string;
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
