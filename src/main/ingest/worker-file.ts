import fs from 'node:fs';
import path from 'node:path';

/**
 * Path of the built import worker. Entries live in out/main; shared code may sit in
 * out/main/chunks, so look beside this file and one level up.
 */
export function ingestWorkerFile(): string {
  const candidates = [path.join(__dirname, 'ingest-worker.js'), path.join(__dirname, '..', 'ingest-worker.js')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`the import worker is not built (looked for ${candidates.join(', ')}); run "npm run build"`);
  return found;
}
