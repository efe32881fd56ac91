import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/workspace';
import { openDatabase } from '../db/database';
import type { WritableDB } from '../db/types';
import { AuditLog, verifyAuditChain } from './audit-log';
import { canonicalJson } from './canonical';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function logWith(n: number): { db: WritableDB; file: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const file = `${t.dir}/midc.sqlite`;
  const db = openDatabase(file);
  cleanups.unshift(() => db.open && db.close());
  let tick = Date.parse('2026-01-01T00:00:00Z');
  const audit = new AuditLog({ now: () => new Date((tick += 1000)) }, 'kiosk-1');
  for (let i = 0; i < n; i++) {
    audit.record(db, { actorId: i % 3, actorName: `user${i % 3}`, action: `act:${i}`, objectType: 'thing', objectId: i, outcome: 0, details: { i } });
  }
  return { db, file };
}

/** Tampering as an attacker with the file would do it: the triggers dropped first. */
function tamper(db: WritableDB, sql: string, ...params: unknown[]): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  db.prepare(sql).run(...params);
}

describe('the audit log', () => {
  it('chains every entry to the one before it', () => {
    const { db } = logWith(5);
    const report = verifyAuditChain(db);
    expect(report).toMatchObject({ ok: true, entries: 5, problems: [] });
    const rows = db.prepare('SELECT prev_hash, hash FROM audit_log ORDER BY id').all() as { prev_hash: string; hash: string }[];
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
  });

  it('refuses UPDATE and DELETE in the database itself', () => {
    const { db } = logWith(2);
    expect(() => db.prepare("UPDATE audit_log SET outcome = 8 WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 2').run()).toThrow(/append-only/);
  });

  it('rolls back with the transaction it was written in', () => {
    const { db } = logWith(1);
    const audit = new AuditLog();
    expect(() =>
      db
        .transaction(() => {
          audit.record(db, { actorId: 1, actorName: 'a', action: 'x', outcome: 0 });
          throw new Error('change failed');
        })
        .immediate(),
    ).toThrow('change failed');
    expect(verifyAuditChain(db).entries).toBe(1);
  });

  it('detects every single-row edit, deletion, reordering and insertion', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.nat(),
        fc.constantFrom('edit-details', 'edit-actor', 'edit-outcome', 'delete', 'delete-last', 'swap', 'insert'),
        (n, pick, kind) => {
          const { db } = logWith(n);
          const id = (pick % n) + 1;
          switch (kind) {
            case 'edit-details':
              tamper(db, 'UPDATE audit_log SET details = ? WHERE id = ?', canonicalJson({ i: -1 }), id);
              break;
            case 'edit-actor':
              tamper(db, "UPDATE audit_log SET actor_name = 'mallory' WHERE id = ?", id);
              break;
            case 'edit-outcome':
              tamper(db, 'UPDATE audit_log SET outcome = 12 WHERE id = ?', id);
              break;
            case 'delete':
              tamper(db, 'DELETE FROM audit_log WHERE id = ?', id);
              break;
            case 'delete-last':
              tamper(db, 'DELETE FROM audit_log WHERE id = ?', n);
              break;
            case 'swap': {
              const other = (id % n) + 1;
              tamper(db, 'UPDATE audit_log SET id = -1 WHERE id = ?', id);
              db.prepare('UPDATE audit_log SET id = ? WHERE id = ?').run(id, other);
              db.prepare('UPDATE audit_log SET id = ? WHERE id = -1').run(other);
              break;
            }
            case 'insert': {
              // A forged entry with a correct-looking hash in the middle of the chain.
              const row = db.prepare('SELECT * FROM audit_log WHERE id = ?').get(id) as Record<string, unknown>;
              tamper(db, 'UPDATE audit_log SET id = id + 1000 WHERE id > ?', id);
              db.prepare(
                'INSERT INTO audit_log (id, ts, actor_id, actor_name, action, object_type, object_id, outcome, workstation, details, prev_hash, hash) VALUES (?, ?, NULL, ?, ?, NULL, NULL, 0, ?, ?, ?, ?)',
              ).run(id + 1, row.ts, 'mallory', 'users:create', 'kiosk-1', '{}', row.hash, 'f'.repeat(64));
              break;
            }
          }
          const report = verifyAuditChain(db);
          db.close();
          return !report.ok && report.problems.length > 0;
        },
      ),
      { numRuns: 60 },
    );
  });

  it('survives a reopen with the chain intact', () => {
    const { db, file } = logWith(3);
    db.close();
    const again = new Database(file, { readonly: true });
    expect(verifyAuditChain(again as never).ok).toBe(true);
    again.close();
  });
});

describe('canonical JSON', () => {
  it('is the same for equal objects built in any key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        return canonicalJson(obj) === canonicalJson(reversed);
      }),
    );
  });
});
