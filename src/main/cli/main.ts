import { runCli } from './run';

// Entry of the `midc` binary (bin/midc.js loads the built copy of this file).
runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`midc: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
