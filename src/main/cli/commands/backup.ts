import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackupProgress } from '../../backup/backup';
import type { ReadableDB, WritableDB } from '../../db/types';
import { formatBytes } from '../../storage/format-bytes';
import { workspaceLayout } from '../../workspace/workspace';
import { EXIT, UsageError, emit, type CliIo, type Command, type ExitCode, type GlobalOptions, parseFlags } from '../command';
import { backupInfo } from './info';

/*
 * Each subcommand loads only what it uses (dynamic imports): `midc backup run` is timed as a
 * whole process by bench "backup", and the settings, scheduler, service and restore code (and
 * zod, through the IPC contract) cost it start-up time for nothing. loading.test.ts proves it.
 */

export const backupCommand: Command = {
  ...backupInfo,
  async run(args, options, io) {
    const [sub, ...rest] = args;
    if (sub === 'prune') return prune(rest, options, io);
    // `verify --repair`: the one flag without a value.
    const repair = sub === 'verify' && rest.includes('--repair');
    const flags = parseFlags(
      rest.filter((a) => !(repair && a === '--repair')),
      sub === 'verify' ? ['--backup'] : ['--to'],
    );
    if (sub === 'run') {
      const to = required(flags, '--to');
      const { runBackup } = await import('../../backup/backup');
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
      const { listBackups } = await import('../../backup/backup');
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
      const { verifyBackup } = await import('../../backup/verify-backup');
      const report = await verifyBackup(backup, { quarantine: repair });
      if (report.quarantined?.length) {
        io.stderr(`moved ${report.quarantined.length} damaged pool blob(s) aside (${report.quarantined.join(', ')}): the next backup copies them again from the workspace\n`);
      }
      if (report.quarantineNote) io.stderr(`warning: ${report.quarantineNote}\n`);
      const human = [
        ...report.problems.map((p) => `  ${p.path ?? backup}: ${p.problem}`),
        `${report.files} files, ${formatBytes(report.bytes)} re-hashed`,
        report.ok ? 'backup verify: ok' : `backup verify: FAILED (${report.problems.length} problems)`,
      ].join('\n');
      emit(io, options, { ok: report.ok, problems: report.problems }, human);
      return report.ok ? EXIT.OK : EXIT.INTEGRITY;
    }
    if (sub === 'drill') {
      const to = flags.get('--to');
      const { restoreDrill } = await import('../../backup/backup-service');
      const { appendDrill } = await import('../../backup/backup-settings');
      const backup = await newestBackup(to ? [path.resolve(to)] : await configuredDestinations(options.workspace));
      io.stderr(`drill: restoring ${backup} into a temporary folder...\n`);
      const result = await restoreDrill(backup);
      await recordInWorkspace(options.workspace, 'backup:drill', { type: 'backup', id: result.id, details: { drill: result.ok, durationMs: result.durationMs } }, (db) =>
        appendDrill(db, { at: result.at, ok: result.ok, backup: result.backup, durationMs: result.durationMs, problems: result.problems.length }),
      );
      const human = result.ok
        ? `Restore drill of ${result.id}: ok, ${result.files} files (${formatBytes(result.bytes)}) restored and verified in ${(result.durationMs / 1000).toFixed(1)} s`
        : [`Restore drill of ${result.id}: FAILED`, ...result.problems.map((p) => `  ${p}`)].join('\n');
      emit(io, options, result, human);
      return result.ok ? EXIT.OK : EXIT.INTEGRITY;
    }
    throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand: run, list, verify, drill or prune');
  },
};

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

async function prune(args: readonly string[], options: GlobalOptions, io: CliIo): Promise<ExitCode> {
  const dryRun = args.includes('--dry-run');
  const flags = parseFlags(
    args.filter((a) => a !== '--dry-run'),
    ['--to', '--daily', '--weekly', '--monthly'],
  );
  const to = required(flags, '--to');
  const { DEFAULT_BACKUP_CONFIG, forgetVerifications, readConfig, readVerifications } = await import('../../backup/backup-settings');
  const { pruneDestination } = await import('../../backup/retention');
  const stored = await readWorkspace(options.workspace, (db) => ({ config: readConfig(db).config, verifications: readVerifications(db) }));
  const base = stored?.config.retention ?? DEFAULT_BACKUP_CONFIG.retention;
  const count = (name: string, fallback: number) => {
    const v = flags.get(name);
    if (v === undefined) return fallback;
    if (!/^\d{1,4}$/.test(v)) throw new UsageError(`${name} needs a whole number`);
    return Number(v);
  };
  const policy = { daily: count('--daily', base.daily), weekly: count('--weekly', base.weekly), monthly: count('--monthly', base.monthly) };
  if (policy.daily + policy.weekly + policy.monthly < 1) throw new UsageError('keep at least one backup: --daily + --weekly + --monthly must be at least 1');
  const verifications = stored?.verifications ?? {};
  const result = pruneDestination(to, policy, (info) => verifications[info.path]?.ok === true, { dryRun });
  if (!dryRun && result.deleted.length) {
    await recordInWorkspace(options.workspace, 'backup:prune', { type: 'backup', id: result.destination, details: { pruned: result.deleted, retention: policy } }, (db) =>
      forgetVerifications(
        db,
        result.deleted.map((id) => path.join(result.destination, id)),
      ),
    );
  }
  for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
  const human = [
    ...result.kept.map((k) => `keep    ${k.id}  (${k.reasons.join(', ')})`),
    ...result.deleted.map((id) => `${dryRun ? 'would delete' : 'deleted'} ${id}`),
    ...result.untouched.map((u) => `left    ${u.id}  (unreadable: ${u.problem ?? 'manifest'})`),
    ...(result.poolBlobsRemoved ? [`removed ${result.poolBlobsRemoved} pool blobs no remaining backup references`] : []),
  ].join('\n');
  emit(io, options, result, human || 'No backups.');
  return EXIT.OK;
}

/** The newest readable backup under the given roots. */
async function newestBackup(roots: readonly string[]): Promise<string> {
  const { listBackups } = await import('../../backup/backup');
  const all = roots.flatMap((r) => {
    try {
      return listBackups(r).filter((b) => b.readable && !b.problem && b.createdAt);
    } catch {
      return [];
    }
  });
  const newest = all.sort((a, b) => (b.createdAt as string).localeCompare(a.createdAt as string))[0];
  if (!newest) throw new UsageError(roots.length ? `no readable backup under ${roots.join(', ')}` : 'no backup destination is configured; give --to DIR');
  return newest.path;
}

async function configuredDestinations(workspace: string): Promise<string[]> {
  const { readConfig } = await import('../../backup/backup-settings');
  return (await readWorkspace(workspace, (db) => readConfig(db).config.destinations.map((d) => d.path))) ?? [];
}

/** Reads the workspace's settings, or null when there is no workspace database. */
async function readWorkspace<T>(workspace: string, fn: (db: ReadableDB) => T): Promise<T | null> {
  const file = workspaceLayout(workspace).dbFile;
  if (!fs.existsSync(file)) return null;
  const { openSqlite } = await import('../../db/sqlite');
  const db = openSqlite(file, { readonly: true, fileMustExist: true }) as ReadableDB;
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * Records what the command did in the workspace it serves (when there is one), with its audit
 * entry in the same transaction, as the IPC calls do; the health screen reads it from there.
 */
async function recordInWorkspace(workspace: string, action: string, object: { type: string; id: string; details: unknown }, fn: (db: WritableDB) => void): Promise<void> {
  const file = workspaceLayout(workspace).dbFile;
  if (!fs.existsSync(file)) return;
  const { openDatabase } = await import('../../db/database');
  const { AuditLog } = await import('../../audit/audit-log');
  const db = openDatabase(file);
  try {
    const audit = new AuditLog();
    db.transaction(() => {
      fn(db);
      audit.record(db, { actorId: null, actorName: `cli:${os.userInfo().username}`, action, objectType: object.type, objectId: object.id, outcome: 0, details: object.details });
    }).immediate();
  } finally {
    db.close();
  }
}
