/**
 * RELIABILITY target 15 (the CI-sized version): a process killed with SIGKILL in the middle of
 * committing leaves a database that opens, passes integrity_check and foreign_key_check,
 * keeps every transaction whose commit was acknowledged, and holds no half transaction.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/main/audit/audit-log';
import { tempDir } from '../helpers/workspace';

const KILLS = 30;
let dir: string;
let cleanup: () => void;
let script: string;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('midc-crash-'));
  // Bundle the TypeScript child once; better-sqlite3 stays a native require.
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: path.resolve(__dirname, '../support/write-load.ts'),
      outDir: path.join(dir, 'bin'),
      emptyOutDir: true,
      rolldownOptions: { external: ['better-sqlite3'], output: { format: 'cjs', entryFileNames: 'write-load.cjs' } },
    },
  });
  script = path.join(dir, 'bin', 'write-load.cjs');
  // The bundle lives in a temp folder: let it find this project's node_modules.
  fs.symlinkSync(path.resolve(__dirname, '../../node_modules'), path.join(dir, 'node_modules'));
}, 120_000);

afterAll(() => cleanup());

function runAndKill(dbFile: string, afterMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dbFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited on its own: ${err}`));
      // Only complete lines were acknowledged commits.
      const acked = out.split('\n').slice(0, -1).map(Number);
      resolve(acked);
    });
  });
}

describe('a writer killed at random moments', () => {
  it(`never corrupts the database nor loses an acknowledged commit (${KILLS} kills)`, async () => {
    const dbFile = path.join(dir, 'midc.sqlite');
    const acknowledged = new Set<number>();
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < KILLS; round++) {
      const acked = await runAndKill(dbFile, 150 + Math.floor(random() * 350));
      acked.forEach((i) => acknowledged.add(i));
      const db = new Database(dbFile);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const keys = new Set(
        (db.prepare("SELECT key FROM settings WHERE key LIKE 'load-%'").all() as { key: string }[]).map((r) => Number(r.key.slice(5))),
      );
      for (const i of acknowledged) expect(keys.has(i)).toBe(true);
      // Every write and its audit entry committed together: equal counts, intact chain.
      const audits = (db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'load:write'").get() as { n: number }).n;
      expect(audits).toBe(keys.size);
      expect(verifyAuditChain(db as never).ok).toBe(true);
      db.close();
    }
    expect(acknowledged.size).toBeGreaterThan(KILLS);
  }, 180_000);
});
