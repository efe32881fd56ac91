import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { assertEmptyWorkspace, restoreBackup } from '../../backup/restore';
import { formatBytes } from '../../storage/format-bytes';
import { EXIT, UsageError, emit, parseFlags, type Command } from '../command';
import { restoreInfo } from './info';

export const restoreCommand: Command = {
  ...restoreInfo,
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
