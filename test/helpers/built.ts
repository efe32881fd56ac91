import fs from 'node:fs';
import path from 'node:path';

export const OUT_MAIN = path.resolve(__dirname, '../../out/main');

/**
 * Path of a built main-process file. `npm test` builds before running the unit tests; a
 * test that needs a real worker thread or a child process uses the built code.
 */
export function built(name: string): string {
  const file = path.join(OUT_MAIN, name);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run build" before these tests`);
  return file;
}

export const FIXTURES = path.resolve(__dirname, '../fixtures');
export const DICOM_FIXTURES = path.join(FIXTURES, 'dicom');
