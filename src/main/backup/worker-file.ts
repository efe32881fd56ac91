import fs from 'node:fs';
import path from 'node:path';

/**
 * Path of the built backup worker. Entries live in out/main; shared code may sit in
 * out/main/chunks, so look beside this file and one level up; from source, in out/main.
 */
export function backupWorkerFile(): string {
  const candidates = [
    path.join(__dirname, 'backup-worker.js'),
    path.join(__dirname, '..', 'backup-worker.js'),
    // Running from source (unit tests): the build output of this checkout.
    path.resolve(__dirname, '../../../out/main/backup-worker.js'),
  ];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`the backup worker is not built (looked for ${candidates.join(', ')}); run "npm run build"`);
  return found;
}
