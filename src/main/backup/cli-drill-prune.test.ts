import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/workspace';
import { listBackups, runBackup } from './backup';
import { restoreDrill } from './backup-service';
import { cli, flipByte, plainWorkspace } from './test-support/fixtures';

const DAY = 86_400_000;
const T0 = new Date(2026, 10, 22, 2, 0).getTime();
let root: string;
let cleanup: () => void;
let ws: string;
let dest: string;

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir('midc-backup-cli-'));
  ws = path.join(root, 'workspace');
  dest = path.join(root, 'backups');
  fs.mkdirSync(dest);
  plainWorkspace(ws, 10);
});
afterEach(() => cleanup());

describe('midc backup drill', () => {
  it('restores the newest backup into a temp folder, reports the RTO and records the drill in the workspace', async () => {
    await runBackup({ workspaceDir: ws, destDir: dest, now: () => new Date(T0 - DAY) });
    const newest = await runBackup({ workspaceDir: ws, destDir: dest, now: () => new Date(T0) });
    const run = await cli('backup', 'drill', '--to', dest, '--workspace', ws, '--json');
    expect(run.stderr).toContain('restoring');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { ok: boolean; id: string; durationMs: number; blobs: number; tables: Record<string, number> };
    expect(result).toMatchObject({ ok: true, id: newest.id, blobs: 10 });
    expect(result.tables.settings).toBeGreaterThanOrEqual(5);
    expect(result.durationMs).toBeGreaterThan(0);
    const db = new Database(path.join(ws, 'midc.sqlite'), { readonly: true });
    const drills = JSON.parse((db.prepare("SELECT value FROM settings WHERE key = 'backup.drills'").get() as { value: string }).value) as { ok: boolean }[];
    const audit = db.prepare("SELECT actor_name FROM audit_log WHERE action = 'backup:drill'").all() as { actor_name: string }[];
    db.close();
    expect(drills).toMatchObject([{ ok: true }]);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_name).toMatch(/^cli:/);
  });

  it('deletes its temporary restore folder, whether the drill passes or fails', async () => {
    const b = await runBackup({ workspaceDir: ws, destDir: dest });
    const scratch = path.join(root, 'scratch');
    fs.mkdirSync(scratch);
    expect((await restoreDrill(b.path, { tmpRoot: scratch })).ok).toBe(true);
    expect(fs.readdirSync(scratch)).toEqual([]);
    flipByte(path.join(b.path, 'midc.sqlite'), 200);
    expect((await restoreDrill(b.path, { tmpRoot: scratch })).ok).toBe(false);
    expect(fs.readdirSync(scratch)).toEqual([]);
  });

  it('exits 3 when the newest backup is damaged', async () => {
    const b = await runBackup({ workspaceDir: ws, destDir: dest });
    flipByte(path.join(b.path, 'midc.sqlite'), 200);
    const run = await cli('backup', 'drill', '--to', dest, '--workspace', ws, '--json');
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, problems: [expect.stringContaining('midc.sqlite')] });
  });

  it('is a usage error without any backup', async () => {
    const run = await cli('backup', 'drill', '--to', dest, '--workspace', ws);
    expect(run.code).toBe(2);
  });
});

describe('midc backup prune', () => {
  it('reports on --dry-run, then deletes old backups keeping the policy and the survivors verify', async () => {
    for (const d of [4, 3, 2, 1, 0]) await runBackup({ workspaceDir: ws, destDir: dest, now: () => new Date(T0 - d * DAY) });
    const dry = await cli('backup', 'prune', '--to', dest, '--daily', '2', '--weekly', '0', '--monthly', '0', '--dry-run', '--workspace', ws, '--json');
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout) as { deleted: string[]; kept: { id: string }[]; dryRun: boolean };
    expect(planned).toMatchObject({ dryRun: true });
    expect(planned.deleted).toHaveLength(3);
    expect(listBackups(dest)).toHaveLength(5);

    const real = await cli('backup', 'prune', '--to', dest, '--daily=2', '--weekly=0', '--monthly=0', '--workspace', ws, '--json');
    expect(real.code).toBe(0);
    expect(JSON.parse(real.stdout).deleted).toEqual(planned.deleted);
    expect(listBackups(dest).map((b) => b.id)).toEqual(planned.kept.map((k) => k.id));
    for (const b of listBackups(dest)) expect((await cli('backup', 'verify', '--backup', b.path)).code).toBe(0);
  });

  it('refuses a policy that keeps nothing and bad numbers', async () => {
    expect((await cli('backup', 'prune', '--to', dest, '--daily', '0', '--weekly', '0', '--monthly', '0', '--workspace', ws)).code).toBe(2);
    expect((await cli('backup', 'prune', '--to', dest, '--daily', 'x', '--workspace', ws)).code).toBe(2);
  });
});
