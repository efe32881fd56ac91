import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../storage/blob-store';
import { hashFileSync } from '../storage/durable-fs';
import { poolRefs, runBackup } from './backup';
import { bundleBackupChild } from './test-support/bundle-child';
import { addBlobs, demoWorkspace, finalBackups, poolBlobs, poolFile } from './test-support/fixtures';
import { verifyBackup } from './verify-backup';

/**
 * RELIABILITY target 20: a backup killed at any moment leaves no final-named backup that
 * fails verification, and the next backup completes. A child process runs `midc backup run`
 * and is SIGKILLed at random moments; after each kill every new final-named backup must
 * verify (hashes, integrity_check, counts, chain head) and an in-process backup must succeed.
 */
const KILLS = 50;
// Generous: CI runs this beside the other test files on two cores.
const BUDGET_MS = 150_000;

/**
 * On tmpfs when there is one: a process kill loses nothing the kernel already holds (only
 * power loss does, which is target 16's LazyFS run), so fsync adds only time here. The fsync
 * order itself is checked by the blob-store test's spy.
 */
function killLoopDir(): { dir: string; cleanup: () => void } {
  const base = fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').isDirectory() ? '/dev/shm' : os.tmpdir();
  const made = fs.mkdtempSync(path.join(base, 'midc-backup-kill-'));
  return { dir: made, cleanup: () => fs.rmSync(made, { recursive: true, force: true }) };
}

let child: Awaited<ReturnType<typeof bundleBackupChild>>;
let dir: string;
let cleanup: () => void;
let ws: string;
let dest: string;
let store: BlobStore;

beforeAll(async () => {
  child = await bundleBackupChild();
  ({ dir, cleanup } = killLoopDir());
  ws = path.join(dir, 'workspace');
  dest = path.join(dir, 'backups');
  fs.mkdirSync(dest);
  ({ store } = await demoWorkspace(ws, 300));
});

afterAll(() => {
  cleanup?.();
  child?.cleanup();
});

/**
 * Spawns the backup child. With `killAfterMs`, it is killed that long after it reports that
 * the backup started (its first progress line), unless it is done by then; `windowMs` is how
 * long the backup itself took, from that line to exit.
 */
function runChild(killAfterMs: number | null): Promise<{ killed: boolean; code: number | null; windowMs: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child.file, ws, dest], { env: child.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let began: number | null = null;
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (began !== null) return;
      began = Date.now();
      if (killAfterMs !== null) {
        timer = setTimeout(() => {
          if (proc.exitCode === null && proc.signalCode === null) killed = proc.kill('SIGKILL');
        }, killAfterMs);
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ killed, code, windowMs: began === null ? 0 : Date.now() - began, stderr });
    });
  });
}

describe('backup kill loop', () => {
  it('never leaves a final-named backup that fails verification, and the next backup completes', async () => {
    const start = Date.now();
    const full = await runChild(null);
    expect(full.stderr).not.toMatch(/backup-child:|Error/);
    expect(full.code).toBe(0);
    // The rounds below are incremental (link most, copy a few): time one to aim the kills.
    addBlobs(store, 5);
    const incremental = await runChild(null);
    expect(incremental.code).toBe(0);
    const window = Math.max(incremental.windowMs, 5);
    const verified = new Set<string>();
    const checkAll = async () => {
      for (const backup of finalBackups(dest)) {
        if (verified.has(backup)) continue;
        const report = await verifyBackup(backup);
        expect(report.problems, backup).toEqual([]);
        verified.add(backup);
      }
    };
    await checkAll();

    let kills = 0;
    let midBackup = 0;
    let withOrphans = 0;
    const unreferencedPoolBlobs = () => {
      const referenced = new Set(finalBackups(dest).flatMap((b) => [...(poolRefs(b) ?? new Map<string, number>()).keys()]));
      return poolBlobs(dest).filter((sha) => !referenced.has(sha));
    };
    let runs = 0;
    while (kills < KILLS && Date.now() - start < BUDGET_MS) {
      runs++;
      // New blobs each round, so that kills also land while blobs are copied, not only linked;
      // and a pool blob that the newest backup references lost, so that they also land while
      // it is repaired (the checks below then include the repaired pool blob).
      addBlobs(store, 5);
      const lost = [...(poolRefs(finalBackups(dest).at(-1) as string) ?? new Map<string, number>()).keys()][runs % 300] as string;
      fs.rmSync(poolFile(dest, lost));
      const at = Math.round(window * Math.random() * 1.1);
      const result = await runChild(at);
      if (result.killed) {
        kills++;
        if (fs.readdirSync(dest).some((n) => n.startsWith('.tmp-'))) midBackup++;
      } else {
        expect(result.code, result.stderr).toBe(0);
      }
      await checkAll();
      // Pool blobs the killed run left that no manifest references: maybe torn, never trusted.
      const orphans = unreferencedPoolBlobs();
      if (orphans.length) withOrphans++;
      // The next backup cleans up after the killed one and completes.
      const next = await runBackup({ workspaceDir: ws, destDir: dest });
      expect(fs.readdirSync(dest).filter((n) => n.startsWith('.tmp-') || n.startsWith('.midc-backup.lock'))).toEqual([]);
      expect(next.linked).toBeGreaterThan(0);
      // It rewrote every orphan it needed (they are all blobs of the workspace) rather than reusing it...
      expect(next.copied).toBeGreaterThanOrEqual(orphans.length);
      await checkAll();
      // ...and afterwards every pool blob is referenced and hashes to its name.
      expect(unreferencedPoolBlobs()).toEqual([]);
      for (const sha of poolBlobs(dest)) expect(hashFileSync(poolFile(dest, sha))).toBe(sha);
    }
    expect(kills, `only ${kills} kills in ${runs} runs within the time budget`).toBeGreaterThanOrEqual(KILLS);
    // The kills must have hit the window that matters: a backup half-written in its temp folder.
    expect(midBackup).toBeGreaterThanOrEqual(KILLS / 3);
    // Some kills landed while new blobs were being written into the pool.
    expect(withOrphans).toBeGreaterThan(0);
    expect(verified.size).toBeGreaterThanOrEqual(runs);
  }, 200_000);
});
