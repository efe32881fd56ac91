import fs from 'node:fs';
import path from 'node:path';

/**
 * Path of the built import worker. Entries live in out/main; shared code may sit in
 * out/main/chunks, so look beside this file and one level up; from source, in out/main.
 */
export function ingestWorkerFile(): string {
  const candidates = [
    path.join(__dirname, 'ingest-worker.js'),
    path.join(__dirname, '..', 'ingest-worker.js'),
    // Running from source (unit tests): the build output of this checkout.
    path.resolve(__dirname, '../../../out/main/ingest-worker.js'),
  ];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`the import worker is not built (looked for ${candidates.join(', ')}); run "npm run build"`);
  return found;
}
