import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BLOBS_DIR, SHA256_HEX } from './blob-layout';

export interface ScrubReport {
  readonly count: number;
  readonly bytes: number;
  /** Blobs whose content no longer matches their name, or unexpected files in the tree. */
  readonly bad: { path: string; problem: string }[];
}

/** Re-hashes every blob of a storage root against its name (RELIABILITY target 23). */
export async function scrubBlobs(storageRoot: string): Promise<ScrubReport> {
  const base = path.join(storageRoot, BLOBS_DIR);
  const report: ScrubReport = { count: 0, bytes: 0, bad: [] };
  if (!fs.existsSync(base)) return report;
  const stack = [base];
  let count = 0;
  let bytes = 0;
  while (stack.length) {
    const dir = stack.pop() as string;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        stack.push(full);
        continue;
      }
      if (!SHA256_HEX.test(entry.name)) {
        // Temp files of an interrupted write are cleaned at startup; report anything else.
        if (!entry.name.startsWith('.tmp-')) report.bad.push({ path: full, problem: 'not a blob name' });
        continue;
      }
      const digest = await hashFile(full);
      count++;
      bytes += fs.statSync(full).size;
      if (digest !== entry.name) report.bad.push({ path: full, problem: `content hash is ${digest}` });
    }
  }
  return { ...report, count, bytes };
}

export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    fs.createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
