/**
 * Issue 3 acceptance: the full pydicom test corpus (Debian's python3-pydicom, installed by
 * .ci/run) is imported: every file accounted for, none crashes or hangs the importer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../src/main/ingest/ingest-service';
import { built } from '../helpers/built';
import { testApp } from '../helpers/workspace';

const CORPUS = process.env.MIDC_PYDICOM_CORPUS ?? '/usr/lib/python3/dist-packages/pydicom/data/test_files';

function countFiles(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0);
}

const { app, cleanup } = testApp();
afterAll(() => cleanup());

describe('the pydicom corpus', () => {
  it('is imported file by file: each imported, duplicate or quarantined with a reason', async () => {
    if (!fs.existsSync(CORPUS)) {
      throw new Error(`pydicom's test files are missing at ${CORPUS}: apt-get install python3-pydicom (or set MIDC_PYDICOM_CORPUS)`);
    }
    const total = countFiles(CORPUS);
    const report = await importPaths(app.services, [CORPUS], {
      actor: { id: null, name: 'corpus' },
      workerFile: built('ingest-worker.js'),
      limits: { timeoutMs: 5000 },
    });
    expect(report.items).toHaveLength(total);
    expect(report.imported + report.duplicates + report.quarantined.length).toBe(total);
    expect(report.imported).toBeGreaterThan(40);
    for (const q of report.quarantined) expect(q.reason.length).toBeGreaterThan(10);
    // Nothing here may take the reader down: crashes and timeouts would show as such.
    expect(report.quarantined.filter((q) => /crashed the reader|took longer/.test(q.reason))).toEqual([]);
    expect(app.services.db.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 120_000);
});
