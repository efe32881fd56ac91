import { commands } from './commands';
import { dispatch } from './dispatch';
import { writeOutput } from './fd-output';

// Entry of the `midc` binary (bin/midc.js loads the built copy of this file). The lazy command
// table: only the code of the command that runs is loaded.
dispatch(commands, process.argv.slice(2), { stdout: (t) => writeOutput(1, t), stderr: (t) => writeOutput(2, t) }, process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    writeOutput(2, `midc: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
