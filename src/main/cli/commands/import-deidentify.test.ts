import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DICOM_FIXTURES } from '../../../../test/helpers/built';
import { tempDir } from '../../../../test/helpers/workspace';
import { phiElements, phiPatterns, survivors } from '../../ingest/deidentify/test-support/phi';
import { plant } from '../../ingest/deidentify/test-support/plant';
import { blobPath } from '../../storage/blob-layout';
import { EXIT } from '../command';
import { runCli } from '../run';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

async function midc(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

interface Report {
  batch: number;
  imported: number;
  duplicates: number;
  quarantined: { path: string; reason: string }[];
  items: { path: string; id: number | null; sha256: string | null; status: string }[];
}

describe('midc import --deidentify', () => {
  it('imports a folder as de-identified copies and reports them as DESIGN §7 says', async () => {
    const ws = dir();
    const input = dir();
    fs.writeFileSync(path.join(input, 'a.dcm'), plant(new Uint8Array(fs.readFileSync(path.join(DICOM_FIXTURES, 'CT_small.dcm'))), phiElements({ explicitOnly: true })));
    fs.writeFileSync(path.join(input, 'b.dcm'), plant(new Uint8Array(fs.readFileSync(path.join(DICOM_FIXTURES, 'MR_small_implicit.dcm'))), phiElements()));
    expect((await midc('init', '--workspace', ws)).code).toBe(EXIT.OK);

    const r = await midc('import', input, '--deidentify', '--json', '--workspace', ws);
    expect(r.stderr).not.toMatch(/not available/);
    expect(r.code).toBe(EXIT.OK);
    const report = JSON.parse(r.stdout) as Report;
    expect(Object.keys(report).sort()).toEqual(['batch', 'duplicates', 'imported', 'items', 'quarantined']);
    expect(report).toMatchObject({ imported: 2, duplicates: 0, quarantined: [] });
    expect(report.items.map((i) => [path.basename(i.path), i.status])).toEqual([
      ['a.dcm', 'imported'],
      ['b.dcm', 'imported'],
    ]);
    for (const item of report.items) {
      const stored = fs.readFileSync(blobPath(path.join(ws, 'storage'), item.sha256 as string));
      expect(survivors(stored, phiPatterns())).toEqual([]);
    }
    const db = new Database(path.join(ws, 'midc.sqlite'), { readonly: true });
    const tagged = db.prepare("SELECT count(*) AS n FROM image_tags WHERE key = 'deidentified' AND value = 'yes'").get();
    db.close();
    expect(tagged).toEqual({ n: 2 });
    // The originals outside MIDC are untouched.
    expect(survivors(fs.readFileSync(path.join(input, 'a.dcm'))).length).toBeGreaterThan(0);
  });

  it('says what --deidentify does in its help', async () => {
    const r = await midc('import', '--help');
    expect(r.stdout + r.stderr).toMatch(/--deidentify\s+store de-identified copies/);
  });
});
