import { commands } from './commands';
import { dispatch } from './dispatch';

// Entry of the `midc` binary (bin/midc.js loads the built copy of this file). The lazy command
// table: only the code of the command that runs is loaded.
dispatch(commands, process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }, process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`midc: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
