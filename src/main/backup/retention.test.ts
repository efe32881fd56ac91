import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/workspace';
import { workspaceLayout } from '../workspace/workspace';
import { listBackups, readManifest, runBackup } from './backup';
import { decideRetention, dayKey, monthKey, pruneDestination, weekKey, type RetentionCandidate } from './retention';
import { addBlobs, cli as runCliCapture, plainWorkspace, poolBlobs, poolFile } from './test-support/fixtures';
import { verifyBackup } from './verify-backup';
import { BlobStore, walkBlobs } from '../storage/blob-store';
import { hashFileSync as sha256File } from '../storage/durable-fs';

const DAY = 86_400_000;
const T0 = new Date(2026, 10, 22, 2, 0).getTime();

describe('bucket keys', () => {
  it('groups by local day, ISO week (Monday first, year of its Thursday) and month', () => {
    expect(dayKey(new Date(2026, 10, 22, 23, 59))).toBe('2026-11-22');
    // Sunday 22 Nov 2026 and Monday 23 Nov 2026 are in different ISO weeks.
    expect(weekKey(new Date(2026, 10, 22))).toBe('2026-W47');
    expect(weekKey(new Date(2026, 10, 23))).toBe('2026-W48');
    // 1 January 2027 is a Friday: it belongs to 2026's week 53.
    expect(weekKey(new Date(2027, 0, 1))).toBe('2026-W53');
    expect(weekKey(new Date(2024, 11, 30))).toBe('2025-W01');
    expect(monthKey(new Date(2026, 0, 31))).toBe('2026-01');
  });
});

describe('decideRetention', () => {
  const daily = (n: number, verified: (i: number) => boolean = () => true): RetentionCandidate[] =>
    Array.from({ length: n }, (_, i) => ({ id: `b${String(i).padStart(3, '0')}`, time: new Date(T0 - i * DAY), verified: verified(i) }));

  it('keeps the newest of each of the last N days, M weeks and K months', () => {
    const d = decideRetention(daily(100), { daily: 7, weekly: 4, monthly: 3 });
    const kept = d.keep.map((k) => k.id);
    // Days 0-6; then the newest of each earlier week and month.
    expect(kept.slice(0, 7)).toEqual(['b000', 'b001', 'b002', 'b003', 'b004', 'b005', 'b006']);
    expect(kept.length).toBeLessThanOrEqual(7 + 4 + 3);
    expect(d.delete.length + d.keep.length).toBe(100);
  });

  it('keeps the newest verified backup even when it is older than everything the policy keeps', () => {
    const d = decideRetention(daily(30, (i) => i === 20), { daily: 3, weekly: 0, monthly: 0 });
    expect(d.keep.map((k) => k.id)).toEqual(['b000', 'b001', 'b002', 'b020']);
    expect(d.keep.find((k) => k.id === 'b020')?.reasons).toEqual(['newest-verified']);
  });

  it('keeps one backup per day: two the same day keep only the newer', () => {
    const d = decideRetention(
      [
        { id: 'late', time: new Date(T0 + 3 * 3_600_000), verified: true },
        { id: 'early', time: new Date(T0), verified: true },
      ],
      { daily: 5, weekly: 0, monthly: 0 },
    );
    expect(d.keep.map((k) => k.id)).toEqual(['late']);
    expect(d.delete).toEqual(['early']);
  });

  it('never deletes the newest verified backup, keeps at most N+M+K+1 and always the newest (property)', () => {
    const candidate = fc.record({
      offsetMinutes: fc.integer({ min: 0, max: 3 * 365 * 24 * 60 }),
      verified: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(candidate, { maxLength: 60, selector: (c) => c.offsetMinutes }),
        fc.record({ daily: fc.integer({ min: 0, max: 10 }), weekly: fc.integer({ min: 0, max: 6 }), monthly: fc.integer({ min: 0, max: 14 }) }).filter((p) => p.daily + p.weekly + p.monthly >= 1),
        (items, policy) => {
          // A fake clock: backup times are fixed offsets back from T0, no Date.now().
          const backups = items.map((c, i) => ({ id: `b${i}`, time: new Date(T0 - c.offsetMinutes * 60_000), verified: c.verified }));
          const d = decideRetention(backups, policy);
          const kept = new Set(d.keep.map((k) => k.id));
          expect(kept.size + d.delete.length).toBe(backups.length);
          expect(d.delete.every((id) => !kept.has(id))).toBe(true);
          expect(kept.size).toBeLessThanOrEqual(policy.daily + policy.weekly + policy.monthly + 1);
          const byTime = [...backups].sort((a, b) => b.time.getTime() - a.time.getTime());
          const newestVerified = byTime.find((b) => b.verified);
          if (newestVerified) expect(kept.has(newestVerified.id)).toBe(true);
          if (byTime[0]) expect(kept.has(byTime[0].id)).toBe(true);
          // Input order does not change the decision.
          const again = decideRetention([...backups].reverse(), policy);
          expect(new Set(again.keep.map((k) => k.id))).toEqual(kept);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('pruneDestination on real backups', () => {
  let root: string;
  let cleanup: () => void;
  let ws: string;
  let dest: string;

  beforeEach(() => {
    ({ dir: root, cleanup } = tempDir('midc-retention-'));
    ws = path.join(root, 'workspace');
    dest = path.join(root, 'backups');
    fs.mkdirSync(dest);
  });
  afterEach(() => cleanup());

  it('deletes whole old backups after deciding, then the pool blobs only they referenced; the kept ones still verify', async () => {
    const { store } = plainWorkspace(ws, 20);
    const days = [5, 4, 3, 2, 1, 0];
    const addedOn = new Map<number, string[]>();
    for (const d of days) {
      const added = addBlobs(store, 2);
      addedOn.set(d, added);
      await runBackup({ workspaceDir: ws, destDir: dest, now: () => new Date(T0 - d * DAY) });
      // The blobs of day 4 leave the workspace after its backup: only the backups of days 5..4 reference them.
      if (d === 4) for (const sha of added) fs.rmSync(store.path(sha));
    }
    const before = listBackups(dest);
    expect(before).toHaveLength(6);
    const gone = addedOn.get(4)!;
    for (const sha of gone) expect(fs.existsSync(poolFile(dest, sha))).toBe(true);

    // Only the oldest is verified: it must survive although daily=2 would drop it.
    const oldest = before[before.length - 1]!;
    const result = pruneDestination(dest, { daily: 2, weekly: 0, monthly: 0 }, (info) => info.id === oldest.id);
    expect(result.deleted).toHaveLength(3);
    expect(result.kept.map((k) => k.id).sort()).toEqual([before[0]!.id, before[1]!.id, oldest.id].sort());
    const after = listBackups(dest).map((b) => b.id);
    expect(after.sort()).toEqual(result.kept.map((k) => k.id).sort());
    // No leftovers: no temp folders of the deletion, the lock released; only the pool beside the backups.
    expect(fs.readdirSync(dest).filter((n) => !n.startsWith('midc-backup-'))).toEqual(['blobs']);
    // Day 4's blobs were referenced by the day-4 backup only (deleted): collected.
    expect(result.poolBlobsRemoved).toBe(2);
    for (const sha of gone) expect(fs.existsSync(poolFile(dest, sha))).toBe(false);
    expect(result.warnings).toEqual([]);

    for (const kept of listBackups(dest)) {
      const report = await verifyBackup(kept.path);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
    }
  });

  it('removes no pool blob while a remaining backup\'s manifest cannot be read, and says so', async () => {
    const { store } = plainWorkspace(ws, 3);
    await runBackup({ workspaceDir: ws, destDir: dest, now: () => new Date(T0 - 2 * DAY) });
    const orphan = addBlobs(store, 1)[0]!;
    const mid = await runBackup({ workspaceDir: ws, destDir: dest, now: () => new Date(T0 - DAY) });
    fs.rmSync(store.path(orphan));
    await runBackup({ workspaceDir: ws, destDir: dest, now: () => new Date(T0) });
    fs.writeFileSync(path.join(mid.path, 'manifest.json'), '{');
    const blocked = pruneDestination(dest, { daily: 1, weekly: 0, monthly: 0 }, () => false);
    expect(blocked.deleted).toHaveLength(1);
    expect(blocked.untouched.map((u) => u.id)).toEqual([mid.id]);
    expect(blocked.poolBlobsRemoved).toBe(0);
    expect(blocked.warnings).toEqual([expect.stringMatching(new RegExp(`no pool blob was removed: the manifest of ${mid.id} cannot be read`))]);
    expect(fs.existsSync(poolFile(dest, orphan))).toBe(true);
    const cli = await runCliCapture('backup', 'prune', '--to', dest, '--daily', '1', '--weekly', '0', '--monthly', '0', '--workspace', ws);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toMatch(/warning: no pool blob was removed/);
    // Once the unreadable backup is dealt with, the next prune collects the blob only it referenced.
    fs.rmSync(mid.path, { recursive: true });
    const freed = pruneDestination(dest, { daily: 1, weekly: 0, monthly: 0 }, () => false);
    expect(freed.poolBlobsRemoved).toBe(1);
    expect(fs.existsSync(poolFile(dest, orphan))).toBe(false);
  });

  it('never deletes the newest verified backup nor a blob a kept backup references (property, real backups, fake clock)', async () => {
    const step = fc.record({ add: fc.integer({ min: 0, max: 3 }), drop: fc.integer({ min: 0, max: 2 }), hoursLater: fc.integer({ min: 1, max: 24 * 40 }), verified: fc.boolean() });
    const policyArb = fc.record({ daily: fc.integer({ min: 0, max: 3 }), weekly: fc.integer({ min: 0, max: 2 }), monthly: fc.integer({ min: 0, max: 2 }) }).filter((p) => p.daily + p.weekly + p.monthly >= 1);
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 7 }), policyArb, async (steps, policy) => {
        const w = path.join(root, `ws-${++round}`);
        const d = path.join(root, `dest-${round}`);
        fs.mkdirSync(d);
        const { store } = plainWorkspace(w, 2);
        const live = [...walkBlobs(store.root)].map((b) => b.sha256);
        let t = T0 - 400 * DAY;
        const verified = new Set<string>();
        for (const s of steps) {
          live.push(...addBlobs(store, s.add));
          for (const sha of live.splice(0, Math.min(s.drop, Math.max(0, live.length - 1)))) fs.rmSync(store.path(sha));
          t += s.hoursLater * 3_600_000;
          const at = t;
          const b = await runBackup({ workspaceDir: w, destDir: d, now: () => new Date(at) });
          if (s.verified) verified.add(b.id);
        }
        const before = listBackups(d);
        const result = pruneDestination(d, policy, (info) => verified.has(info.id));
        const kept = new Set(listBackups(d).map((b) => b.id));
        const newestVerified = before.filter((b) => verified.has(b.id)).sort((a, b) => b.createdAt!.localeCompare(a.createdAt!))[0];
        if (newestVerified) expect(kept.has(newestVerified.id)).toBe(true);
        expect(kept.has(before[0]!.id)).toBe(true);
        // Every blob a kept backup references is in the pool and hashes right; nothing else is.
        const referenced = new Set<string>();
        for (const id of kept) {
          const m = readManifest(path.join(d, id));
          if (!m.ok) throw new Error(m.error);
          for (const f of m.manifest.files) {
            if (f.path === 'midc.sqlite') continue;
            referenced.add(f.sha256);
            expect(sha256File(poolFile(d, f.sha256))).toBe(f.sha256);
          }
        }
        expect(poolBlobs(d)).toEqual([...referenced].sort());
        expect(result.warnings).toEqual([]);
        fs.rmSync(w, { recursive: true });
        fs.rmSync(d, { recursive: true });
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('changes nothing on a dry run, and leaves an unreadable backup alone', async () => {
    plainWorkspace(ws, 3);
    for (const d of [3, 2, 1]) await runBackup({ workspaceDir: ws, destDir: dest, now: () => new Date(T0 - d * DAY) });
    const ids = listBackups(dest).map((b) => b.id);
    // Damage the oldest backup's manifest: unreadable backups are never deleted automatically.
    fs.writeFileSync(path.join(dest, ids[2]!, 'manifest.json'), '{');
    const dry = pruneDestination(dest, { daily: 1, weekly: 0, monthly: 0 }, () => false, { dryRun: true });
    expect(dry.deleted).toEqual([ids[1]]);
    expect(dry.untouched.map((u) => u.id)).toEqual([ids[2]]);
    expect(listBackups(dest).map((b) => b.id).sort()).toEqual([...ids].sort());
    const real = pruneDestination(dest, { daily: 1, weekly: 0, monthly: 0 }, () => false);
    expect(real.deleted).toEqual([ids[1]]);
    expect(listBackups(dest).map((b) => b.id).sort()).toEqual([ids[0], ids[2]].sort());
  });

  it('keeps a pool blob alive when the backup that first wrote it is deleted and a newer one references it', async () => {
    plainWorkspace(ws, 2);
    const [sha] = addBlobs(new BlobStore(workspaceLayout(ws).storageDir), 1);
    const first = await runBackup({ workspaceDir: ws, destDir: dest, now: () => new Date(T0 - DAY) });
    const second = await runBackup({ workspaceDir: ws, destDir: dest, now: () => new Date(T0) });
    expect(second).toMatchObject({ copied: 0 });
    expect(second.linked).toBeGreaterThan(0);
    const result = pruneDestination(dest, { daily: 1, weekly: 0, monthly: 0 }, () => false);
    expect(result.deleted).toEqual([first.id]);
    expect(result.poolBlobsRemoved).toBe(0);
    expect(fs.existsSync(first.path)).toBe(false);
    expect(sha256File(poolFile(dest, sha!))).toBe(sha);
    expect((await verifyBackup(second.path)).ok).toBe(true);
  });
});
