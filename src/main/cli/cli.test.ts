import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/roles';
import { DICOM_FIXTURES } from '../../../test/helpers/built';
import { tempDir } from '../../../test/helpers/workspace';
import { blobPath } from '../storage/blob-layout';
import { EXIT } from './command';
import { runCli } from './run';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function midc(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

function workspace(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

function tamper(dir: string, sql: string): void {
  const db = new Database(`${dir}/midc.sqlite`);
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  db.exec(sql);
  db.close();
}

describe('midc', () => {
  it('prints help with every command and exits 0', async () => {
    const r = await midc('--help');
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toMatch(/init/);
    expect(r.stdout).toMatch(/verify/);
    expect(r.stdout).toMatch(/--workspace DIR/);
  });

  it('exits 2 with a clear message on an unknown command or argument', async () => {
    expect(await midc('frobnicate')).toMatchObject({ code: EXIT.USAGE, stderr: expect.stringMatching(/unknown command "frobnicate"/) });
    expect(await midc('init', '--demon', '--workspace', workspace())).toMatchObject({
      code: EXIT.USAGE,
      stderr: expect.stringMatching(/unexpected argument "--demon"/),
    });
  });

  it('init --demo creates users of every role and audits their creation', async () => {
    const dir = workspace();
    const r = await midc('init', '--demo', '--workspace', dir, '--json');
    expect(r.code).toBe(EXIT.OK);
    const result = JSON.parse(r.stdout) as { created: boolean; demo: { users: { roles: string[] }[] } };
    expect(result.created).toBe(true);
    const roles = new Set(result.demo.users.flatMap((u) => u.roles));
    for (const role of ROLES) expect(roles).toContain(role);
    const db = new Database(`${dir}/midc.sqlite`, { readonly: true });
    const audited = db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'users:create'").get() as { n: number };
    expect(audited.n).toBe(result.demo.users.length);
    db.close();
    expect(await midc('init', '--demo', '--workspace', dir)).toMatchObject({ code: EXIT.USAGE });
  });

  it('verify passes on a healthy workspace and prints the documented JSON', async () => {
    const dir = workspace();
    await midc('init', '--demo', '--workspace', dir);
    const r = await midc('verify', '--workspace', dir, '--json');
    expect(r.code).toBe(EXIT.OK);
    const report = JSON.parse(r.stdout) as { blobs: { count: number; bytes: number }; audit: { entries: number } };
    expect(report).toMatchObject({ ok: true, database: { ok: true, problems: [] }, blobs: { bad: [] }, audit: { ok: true, problems: [] } });
    // The demo holds images (blobs) and its creation is audited entry by entry.
    expect(report.blobs.count).toBeGreaterThan(0);
    expect(report.blobs.bytes).toBeGreaterThan(0);
    expect(report.audit.entries).toBeGreaterThan(10);
  });

  it.each([
    ['an edited entry', "UPDATE audit_log SET actor_name = 'mallory' WHERE id = 3"],
    ['a deleted entry', 'DELETE FROM audit_log WHERE id = 4'],
    ['the newest entry deleted', 'DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)'],
    ['two entries swapped', 'UPDATE audit_log SET id = -1 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 5; UPDATE audit_log SET id = 5 WHERE id = -1'],
  ])('verify exits 3 when the audit log has %s', async (_what, sql) => {
    const dir = workspace();
    await midc('init', '--demo', '--workspace', dir);
    tamper(dir, sql);
    const r = await midc('verify', '--workspace', dir, '--json');
    expect(r.code).toBe(EXIT.INTEGRITY);
    const report = JSON.parse(r.stdout) as { ok: boolean; audit: { ok: boolean; problems: string[] } };
    expect(report.ok).toBe(false);
    expect(report.audit.ok).toBe(false);
    expect(report.audit.problems.length).toBeGreaterThan(0);
  });

  it('verify exits 3 when a stored blob is damaged or missing', async () => {
    const dir = workspace();
    await midc('init', '--workspace', dir);
    expect((await midc('import', path.join(DICOM_FIXTURES, 'CT_small.dcm'), path.join(DICOM_FIXTURES, 'MR_small.dcm'), '--workspace', dir)).code).toBe(EXIT.OK);
    expect((await midc('verify', '--workspace', dir)).code).toBe(EXIT.OK);
    const db = new Database(`${dir}/midc.sqlite`, { readonly: true });
    const [a, b] = (db.prepare('SELECT sha256 FROM images ORDER BY id').all() as { sha256: string }[]).map((r) => blobPath(`${dir}/storage`, r.sha256));
    db.close();
    const bytes = fs.readFileSync(a as string);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    fs.chmodSync(a as string, 0o644);
    fs.writeFileSync(a as string, bytes);
    fs.rmSync(b as string, { force: true });
    const r = await midc('verify', '--workspace', dir, '--json');
    expect(r.code).toBe(EXIT.INTEGRITY);
    const report = JSON.parse(r.stdout) as { blobs: { bad: { problem: string }[] } };
    expect(report.blobs.bad.map((x) => x.problem)).toEqual(expect.arrayContaining([expect.stringMatching(/content hash is/), expect.stringMatching(/missing/)]));
  });

  it('verify exits 3 for a missing workspace', async () => {
    const r = await midc('verify', '--workspace', `${workspace()}/nothing-here`);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stdout).toMatch(/no database/);
  });
});
