/**
 * Issue 8 acceptance, RELIABILITY target 15 (CI size): a process doing real imports (the import
 * service and its worker) mixed with audited writes is killed with SIGKILL at random moments,
 * at least 100 times. After every kill: integrity_check ok, foreign_key_check empty, the audit
 * chain intact, every acknowledged write and import present (with its audit entry, its blob
 * file), no write without its audit entry (no partial transaction).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/main/audit/audit-log';
import { blobPath } from '../../src/main/storage/blob-layout';
import { built, DICOM_FIXTURES } from '../helpers/built';
import { tempDir } from '../helpers/workspace';

const KILLS = 100;
const INPUTS = 60;
let dir: string;
let cleanup: () => void;
let script: string;
let workerFile: string;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('midc-kill-load-'));
  workerFile = built('ingest-worker.js');
  await build({
    configFile: false,
    logLevel: 'silent',
    define: { __MIDC_VERSION__: JSON.stringify('0.0.0-test') },
    build: {
      ssr: path.resolve(__dirname, '../../src/main/backup/test-support/load-child.ts'),
      outDir: path.join(dir, 'bin'),
      emptyOutDir: true,
      minify: false,
      rolldownOptions: { external: ['better-sqlite3'], output: { format: 'cjs', entryFileNames: 'load-child.cjs' } },
    },
  });
  script = path.join(dir, 'bin', 'load-child.cjs');
  fs.symlinkSync(path.resolve(__dirname, '../../node_modules'), path.join(dir, 'node_modules'));
  // Distinct small DICOM files: CT_small with its SOP Instance UID's tail changed.
  const ct = fs.readFileSync(path.join(DICOM_FIXTURES, 'CT_small.dcm'));
  const uid = ct.indexOf(Buffer.from('1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322'));
  if (uid < 0) throw new Error('CT_small SOP Instance UID not found');
  fs.mkdirSync(path.join(dir, 'in'));
  for (let i = 0; i < INPUTS; i++) {
    const copy = Buffer.from(ct);
    copy.write(String(i).padStart(5, '0'), uid + 40 - 5, 'ascii');
    fs.writeFileSync(path.join(dir, 'in', `ct-${String(i).padStart(3, '0')}.dcm`), copy);
  }
}, 120_000);

afterAll(() => cleanup());

interface Acked {
  writes: string[];
  images: { id: number; sha: string }[];
}

function runAndKill(ws: string, first: number, afterMs: number): Promise<Acked> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ws, path.join(dir, 'in'), workerFile, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`the load exited on its own: ${err}`));
      // Only complete lines were acknowledged.
      const lines = out.split('\n').slice(0, -1);
      resolve({
        writes: lines.filter((l) => l.startsWith('w ')).map((l) => l.slice(2)),
        images: lines.filter((l) => l.startsWith('i ')).map((l) => {
          const [, id, sha] = l.split(' ');
          return { id: Number(id), sha: sha as string };
        }),
      });
    });
  });
}

describe('the app killed at random moments under a mixed write load', () => {
  it(`never corrupts the workspace nor loses an acknowledged commit (${KILLS} kills)`, async () => {
    const ws = path.join(dir, 'ws');
    const writes = new Set<string>();
    const images = new Map<number, string>();
    let seed = 8;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const started = Date.now();
    for (let round = 0; round < KILLS; round++) {
      // Early kills land during start-up and migrations, later ones mid-import or mid-commit.
      const acked = await runAndKill(ws, round * 2, 120 + Math.floor(random() * 500));
      acked.writes.forEach((w) => writes.add(w));
      acked.images.forEach((i) => images.set(i.id, i.sha));

      const file = path.join(ws, 'midc.sqlite');
      if (!fs.existsSync(file)) {
        // Killed before the database was created: nothing can have been acknowledged.
        expect(writes.size + images.size).toBe(0);
        continue;
      }
      const db = new Database(file);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        if (db.pragma('user_version', { simple: true }) === 0) {
          // Killed before the first migration committed (migrations are one transaction each).
          expect(writes.size + images.size).toBe(0);
          continue;
        }
        expect(db.pragma('foreign_key_check')).toEqual([]);
        const chain = verifyAuditChain(db as never);
        expect(chain.problems).toEqual([]);
        const keys = new Set((db.prepare("SELECT key FROM settings WHERE key LIKE 'load-%'").pluck().all() as string[]));
        for (const w of writes) expect(keys.has(w), `acknowledged write ${w}`).toBe(true);
        // Each write committed with its audit entry, or neither did.
        expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'load:write'").pluck().get()).toBe(keys.size);
        const stored = db.prepare('SELECT sha256 FROM images WHERE id = ?').pluck();
        for (const [id, sha] of images) {
          expect(stored.get(id), `acknowledged image ${id}`).toBe(sha);
          expect(fs.existsSync(blobPath(path.join(ws, 'storage'), sha)), `blob of image ${id}`).toBe(true);
        }
        // No image registered without its blob file, acknowledged or not.
        for (const sha of db.prepare('SELECT sha256 FROM blobs').pluck().all() as string[]) {
          expect(fs.existsSync(blobPath(path.join(ws, 'storage'), sha)), `blob ${sha}`).toBe(true);
        }
      } finally {
        db.close();
      }
    }
    expect(writes.size).toBeGreaterThan(KILLS);
    expect(images.size).toBeGreaterThan(5);
    expect(Date.now() - started).toBeLessThan(170_000);
  }, 180_000);
});
