/**
 * RELIABILITY target 17 through IPC: the database hits SQLITE_FULL in the middle of a write
 * (PRAGMA max_page_count caps the file, as a full disk would). The call returns STORAGE_IO with
 * a clear message, the transaction is rolled back whole (the setting and its audit entry
 * together), integrity_check stays ok, and the app keeps answering once space is back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedAndLogin, tempDir, testApp } from '../../../test/helpers/workspace';
import type { App } from '../app';
import { verifyAuditChain } from '../audit/audit-log';
import type { Sender } from '../ipc/sender';

let app: App;
let cleanup: () => void;
let outside: { dir: string; cleanup: () => void };
let ops: Sender;

beforeAll(async () => {
  ({ app, cleanup } = testApp());
  outside = tempDir('midc-disk-full-');
  for (let i = 0; i < 10; i++) fs.mkdirSync(path.join(outside.dir, `d${i}`));
  ({ olga: ops } = await seedAndLogin(app, { olga: ['ops'] }));
});
afterAll(() => {
  cleanup();
  outside.cleanup();
});

const config = (n: number) => ({
  destinations: Array.from({ length: 10 }, (_, i) => ({ path: path.join(outside.dir, `d${i}`), label: `${n}-${'x'.repeat(90)}` })),
  schedules: [{ name: 'daily', cron: '0 2 * * *' }],
  retention: { daily: 7, weekly: 4, monthly: 12 },
});

const storedConfig = () => (app.services.db.prepare("SELECT value FROM settings WHERE key = 'backup.config'").get() as { value: string } | undefined)?.value;
const auditRows = () => (app.services.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

describe('a full database during an IPC write', () => {
  it('fails cleanly with STORAGE_IO, rolls back, stays intact, and works again when space is back', async () => {
    const db = app.services.db;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    // The registry logs the audit entry it could not write for the failure; keep the output clean.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    let failure: { code: string; message: string } | null = null;
    let lastGood: string | undefined;
    let n = 0;
    for (; n < 500 && !failure; n++) {
      const before = { config: storedConfig(), audits: auditRows() };
      const r = await app.dispatch(ops, 'backup:setConfig', { config: config(n) });
      if (r.ok) {
        lastGood = storedConfig();
        continue;
      }
      failure = r.error;
      // All or nothing: neither the new value nor an audit entry of it committed.
      expect(storedConfig()).toBe(before.config);
      expect(auditRows()).toBe(before.audits);
    }
    logged.mockRestore();
    expect(failure).toMatchObject({ code: 'STORAGE_IO', message: expect.stringMatching(/disk is full: nothing was saved/) });
    expect(n).toBeGreaterThan(1);
    expect(storedConfig()).toBe(lastGood);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(verifyAuditChain(db).ok).toBe(true);

    // Reads still work while full.
    expect((await app.dispatch(ops, 'backup:config', {})).ok).toBe(true);

    // Space is back: the next write goes through, audited, chain intact.
    db.pragma('max_page_count = 1073741823');
    const again = await app.dispatch(ops, 'backup:setConfig', { config: config(9999) });
    expect(again.ok).toBe(true);
    expect(storedConfig()).toContain('9999-');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(verifyAuditChain(db).ok).toBe(true);
  });
});
