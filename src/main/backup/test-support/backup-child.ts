import { backupCommand } from '../../cli/commands/backup';

/**
 * A child process for the kill-loop test (RELIABILITY target 20): runs `midc backup run`
 * through the command's own code, without the rest of the CLI, so the test can bundle it on
 * its own. Usage: node backup-child.cjs WORKSPACE DEST
 */
const [workspace, dest] = process.argv.slice(2);
if (!workspace || !dest) {
  process.stderr.write('usage: backup-child WORKSPACE DEST\n');
  process.exit(2);
}
backupCommand
  .run(['run', '--to', dest], { workspace, json: true }, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) })
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`backup-child: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
