import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { assertEmptyWorkspace, restoreBackup } from '../../backup/restore';
import { formatBytes } from '../../storage/roots';
import { EXIT, UsageError, emit, type Command } from '../command';
import { parseFlags } from './backup';

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore a backup into an empty workspace folder',
  usage: `Usage: midc restore --backup PATH --workspace DIR [--json]

Verifies the backup, copies its database and blobs into DIR (which must be empty or not
exist yet), then checks the result as "midc verify" does and against the backup's row
counts and audit-chain head. Exit 3 when the backup or the restored workspace fails a check.
JSON: {workspace, backup, files, bytes, durationMs, verify}
`,
  async run(args, options, io) {
    const flags = parseFlags(args, ['--backup']);
    const backup = flags.get('--backup');
    if (!backup) throw new UsageError('--backup is required');
    try {
      assertEmptyWorkspace(options.workspace);
    } catch (err) {
      // Restoring over a workspace is never what was meant: a usage error, nothing touched.
      if (err instanceof AppError && err.code === 'CONFLICT') throw new UsageError(err.message);
      throw err;
    }
    io.stderr(`restore: verifying ${path.resolve(backup)}...\n`);
    const result = await restoreBackup(backup, options.workspace, {
      onProgress: (done, total) => io.stderr(`restore: ${done}/${total} files\n`),
    });
    emit(
      io,
      options,
      result,
      `Restored ${result.files} files (${formatBytes(result.bytes)}) into ${result.workspace} in ${(result.durationMs / 1000).toFixed(1)} s; verify: ok`,
    );
    return EXIT.OK;
  },
};
