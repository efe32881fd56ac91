/**
 * Child process for the kill-under-load test (issue 8, RELIABILITY target 15): a mix of real
 * imports (the import service with its worker) and small audited writes, each printed AFTER its
 * commit returned. The parent kills it with SIGKILL at a random moment and checks that every
 * printed line is in the database.
 *
 * Usage: node load-child.cjs WORKSPACE INPUT_DIR WORKER_FILE FIRST_FILE
 * Prints `w KEY` per audited settings write, `i ID SHA256` per imported (or already present) image.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AppServices } from '../../app-services';
import { AuditLog } from '../../audit/audit-log';
import { systemClock } from '../../auth/sessions';
import { openDatabase } from '../../db/database';
import { importPaths } from '../../ingest/ingest-service';
import { ensureWorkspaceDirs } from '../../workspace/prepare';
import { workspaceLayout } from '../../workspace/workspace';

const [workspace, inputDir, workerFile, firstText] = process.argv.slice(2);
if (!workspace || !inputDir || !workerFile || !firstText) {
  process.stderr.write('usage: load-child WORKSPACE INPUT_DIR WORKER_FILE FIRST_FILE\n');
  process.exit(2);
}
const ws = workspaceLayout(workspace);
ensureWorkspaceDirs(ws);
const db = openDatabase(ws.dbFile);
const audit = new AuditLog();
// Only what the import service uses; annotations are not built yet, so the "annotation-like"
// writes are audited settings rows, committed the way every IPC write is (ctx.write).
const app = { db, audit, clock: systemClock, workspace: ws } as unknown as AppServices;
const files = fs.readdirSync(inputDir).sort();
const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
const out = (line: string) => fs.writeSync(1, `${line}\n`);

async function main(): Promise<void> {
  let next = Number(firstText);
  for (let i = 0; ; i++) {
    if (i % 8 === 7) {
      const batch = [0, 1].map((k) => path.join(inputDir as string, files[(next + k) % files.length] as string));
      next += 2;
      const report = await importPaths(app, batch, { actor: { id: null, name: 'load' }, workerFile: workerFile as string });
      for (const item of report.items) if (item.id !== null && item.sha256) out(`i ${item.id} ${item.sha256}`);
    } else {
      const key = `load-${process.pid}-${i}`;
      db.transaction(() => {
        insert.run(key, JSON.stringify({ i, note: 'x'.repeat(100 + (i % 300)) }));
        audit.record(db, { actorId: null, actorName: 'load', action: 'load:write', objectType: 'setting', objectId: key, outcome: 0 });
      }).immediate();
      out(`w ${key}`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`load-child: ${String(err)}\n`);
  process.exit(1);
});
