import fs from 'node:fs';

/**
 * Writes `text` to a file descriptor (1 or 2) completely before returning, as Node writes to
 * pipes and files anyway on Linux; used by the `midc` binary instead of process.stdout and
 * process.stderr, whose first use loads Node's stream and socket modules (~1.5 ms of every
 * command, bench "backup"). A descriptor left non-blocking by the parent (EAGAIN) is retried
 * after 1 ms; a reader that went away (EPIPE, `midc ... | head`) ends the output quietly.
 * Not durable-fs's writeAll (files on disk, no such cases): that module is storage code, which
 * `midc --help` and `midc metrics` never load (loading.test.ts).
 */
export function writeOutput(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.length) {
    try {
      done += fs.writeSync(fd, bytes, done, bytes.length - done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') pause(1);
      else if (code === 'EPIPE') return;
      else throw err;
    }
  }
}

let sleeper: Int32Array | null = null;

function pause(ms: number): void {
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleeper, 0, 0, ms);
}
