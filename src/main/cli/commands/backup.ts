import path from 'node:path';
import { listBackups, runBackup, type BackupProgress } from '../../backup/backup';
import { verifyBackup } from '../../backup/verify-backup';
import { formatBytes } from '../../storage/roots';
import { EXIT, UsageError, emit, type CliIo, type Command } from '../command';

const USAGE = `Usage:
  midc backup run --to DIR [--workspace DIR] [--json]
  midc backup list --to DIR [--json]
  midc backup verify --backup PATH [--json]

run     makes a consistent backup (database snapshot + every blob) of the workspace in a new
        folder midc-backup-<UTC time>-<random> under DIR. Blobs unchanged since the previous
        backup in DIR are hard-linked, new ones copied and checked. DIR must exist (it is the
        backup root, ideally on another device). --to is required: there is no configured
        backup root yet.
        JSON: {id, path, files, bytes}; warnings (blobs left out, same device) on stderr.
list    the backups under DIR, newest first.
        JSON: [{id, path, readable, problem, createdAt, completedAt, files, bytes, schemaVersion, appVersion, auditHead}]
verify  re-hashes every file of a backup against its manifest, looks for missing and extra
        files, and checks the database copy. Exit 3 on any mismatch.
        JSON: {ok, problems: [{path, problem}]}

Progress goes to stderr; exit 1 when the backup left out damaged blobs.
`;

export const backupCommand: Command = {
  name: 'backup',
  summary: 'back up the workspace (run), list backups, verify a backup',
  usage: USAGE,
  async run(args, options, io) {
    const [sub, ...rest] = args;
    const flags = parseFlags(rest, sub === 'verify' ? ['--backup'] : ['--to']);
    if (sub === 'run') {
      const to = required(flags, '--to');
      const result = await runBackup({ workspaceDir: options.workspace, destDir: to, onProgress: progressPrinter(io) });
      for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
      // DESIGN §7 fixes the JSON to these four fields; the rest went to stderr above.
      emit(
        io,
        options,
        { id: result.id, path: result.path, files: result.files, bytes: result.bytes },
        `Backup ${result.id}: ${result.files} files, ${formatBytes(result.bytes)} (${result.copied} blobs copied, ${result.linked} linked) in ${result.path}`,
      );
      return result.skipped.length ? EXIT.PARTIAL : EXIT.OK;
    }
    if (sub === 'list') {
      const backups = listBackups(required(flags, '--to'));
      const human = backups.length
        ? backups
            .map((b) =>
              b.readable
                ? `${b.id}  ${b.completedAt}  ${b.files} files  ${formatBytes(b.bytes ?? 0)}${b.problem ? `  (${b.problem})` : ''}`
                : `${b.id}  UNREADABLE: ${b.problem}`,
            )
            .join('\n')
        : 'No backups.';
      emit(io, options, backups, human);
      return EXIT.OK;
    }
    if (sub === 'verify') {
      const backup = path.resolve(required(flags, '--backup'));
      io.stderr(`verifying ${backup}...\n`);
      const report = await verifyBackup(backup);
      const human = [
        ...report.problems.map((p) => `  ${p.path ?? backup}: ${p.problem}`),
        `${report.files} files, ${formatBytes(report.bytes)} re-hashed`,
        report.ok ? 'backup verify: ok' : `backup verify: FAILED (${report.problems.length} problems)`,
      ].join('\n');
      emit(io, options, { ok: report.ok, problems: report.problems }, human);
      return report.ok ? EXIT.OK : EXIT.INTEGRITY;
    }
    throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand: run, list or verify');
  },
};

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

function required(flags: Map<string, string>, name: string): string {
  const value = flags.get(name);
  if (!value) throw new UsageError(`${name} is required`);
  return path.resolve(value);
}

function progressPrinter(io: CliIo): (p: BackupProgress) => void {
  return (p) => {
    if (p.phase === 'database' && p.done === 0) io.stderr('backup: snapshotting the database...\n');
    else if (p.phase === 'blobs') io.stderr(`backup: blobs ${p.done}/${p.total}, ${formatBytes(p.bytes)}\n`);
    else if (p.phase === 'finishing' && p.done === 0) io.stderr('backup: writing the manifest and syncing...\n');
  };
}
