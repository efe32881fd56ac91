/**
 * Child process for the crash test: commits transactions as fast as it can, each one a
 * settings row plus its audit entry, and prints the number of every transaction after its
 * commit returned. The parent kills it at a random moment and checks what survived.
 */
import { AuditLog } from '../../src/main/audit/audit-log';
import { openDatabase } from '../../src/main/db/database';

const file = process.argv[2];
if (!file) throw new Error('usage: write-load DBFILE');
const db = openDatabase(file);
const audit = new AuditLog();
const start = (db.prepare('SELECT count(*) AS n FROM settings').get() as { n: number }).n;
const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
for (let i = start; ; i++) {
  db.transaction(() => {
    insert.run(`load-${i}`, JSON.stringify({ i, pad: 'x'.repeat(200 + (i % 500)) }));
    audit.record(db, { actorId: null, actorName: 'load', action: 'load:write', objectType: 'setting', objectId: i, outcome: 0 });
  }).immediate();
  process.stdout.write(`${i}\n`);
}
