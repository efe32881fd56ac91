import { commands } from './commands';
import { dispatch } from './dispatch';
import { writeAll } from './fd-output';

// Entry of the `midc` binary (bin/midc.js loads the built copy of this file). The lazy command
// table: only the code of the command that runs is loaded.
dispatch(commands, process.argv.slice(2), { stdout: (t) => writeAll(1, t), stderr: (t) => writeAll(2, t) }, process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    writeAll(2, `midc: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
