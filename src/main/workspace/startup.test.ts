import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/workspace';
import { createApp } from '../app';
import { openDatabase } from '../db/database';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('startup checks', () => {
  it('mark crashed imports interrupted, remove stale temp blobs, keep fresh ones and audit the start', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = openDatabase(path.join(t.dir, 'midc.sqlite'));
    db.prepare("INSERT INTO import_batches (started_at, status, inputs, options) VALUES ('t', 'running', '[]', '{}')").run();
    db.close();
    const dir = path.join(t.dir, 'storage', 'blobs', 'ab');
    fs.mkdirSync(dir, { recursive: true });
    const stale = path.join(dir, '.tmp-stale');
    const fresh = path.join(dir, '.tmp-fresh');
    fs.writeFileSync(stale, 'half a blob');
    fs.writeFileSync(fresh, 'a blob being written by the CLI');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(stale, twoHoursAgo, twoHoursAgo);

    const app = createApp({ workspaceDir: t.dir, host: 'chromium', appOrigin: 'https://midc.invalid' });
    cleanups.unshift(() => app.close());
    const status = app.services.db.prepare('SELECT status FROM import_batches').get();
    expect(status).toEqual({ status: 'interrupted' });
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
    const audit = app.services.db.prepare("SELECT outcome, details FROM audit_log WHERE action = 'system:startup'").get() as { outcome: number; details: string };
    const details = JSON.parse(audit.details) as { quickCheck: string[]; interruptedBatches: number; removedTemps: number; storage: { status: string } };
    expect(details).toMatchObject({ quickCheck: ['ok'], interruptedBatches: 1, removedTemps: 1 });
    // Free space on a CI disk may be low (a warning); the root itself must be usable.
    expect(details.storage.status).not.toBe('error');
    expect(audit.outcome).toBe(details.storage.status === 'ok' ? 0 : 4);
  });
});
