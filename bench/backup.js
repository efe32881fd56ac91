'use strict';
// backup: `midc backup run` of a workspace holding ≥ 1 GB of blobs vs `cp -r` of its storage
// folder, and an unchanged incremental backup vs the full one.

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { prng } = require('./lib/prng');
const { summarize, describe, fmtMs } = require('./lib/timing');
const { dataDir, scratch, remove, cached } = require('./lib/data');
const { run, midcOk, midcCommands, CLI } = require('./lib/proc');

const SEED = 20260308;

/**
 * Blobs of 256 KiB to 1.75 MiB (about a CT slice to a small series), deterministic bytes
 * (AES-CTR of zeros under a seeded key: incompressible, fast), stored as MIDC stores them:
 * storage/blobs/ab/<sha256 of the content> (the store's layout 2, src/main/storage/blob-layout.ts).
 */
function writeBlobs(storageDir, totalBytes) {
  const random = prng(SEED);
  let written = 0;
  let count = 0;
  while (written < totalBytes) {
    const size = Math.min(totalBytes - written, 262144 + random.int(1572864));
    const key = random.fill(Buffer.alloc(16));
    const iv = random.fill(Buffer.alloc(16));
    const cipher = crypto.createCipheriv('aes-128-ctr', key, iv);
    const bytes = Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    const dir = path.join(storageDir, 'blobs', sha.slice(0, 2));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, sha), bytes);
    written += size;
    count++;
  }
  return { count, bytes: written };
}

const sync = () => run('sync', []);
const mbps = (bytes, ms) => `${(bytes / 2 ** 20 / (ms / 1000)).toFixed(0)} MiB/s`;

module.exports = {
  name: 'backup',
  title: 'Backup: `midc backup run` vs `cp -r`, and an unchanged incremental backup',
  async run({ smoke, log }) {
    const totalBytes = smoke ? 4 * 2 ** 20 : 2 ** 30;
    const runs = smoke ? 2 : 5;
    const warmup = smoke ? 0 : 1;
    if (!fs.existsSync(CLI)) return { status: 'unavailable', reason: 'the app is not built (out/main/cli.js missing)' };
    if (!(await midcCommands()).has('backup')) return { status: 'unavailable', reason: '`midc backup run` (issue 8) is not in the built CLI' };

    let blobs = null;
    const { dir, generated } = await cached(dataDir(`backup-ws-${totalBytes}`), { v: 2, totalBytes, seed: SEED }, async (d) => {
      await midcOk(['init', '--workspace', path.join(d, 'ws'), '--json']);
      blobs = writeBlobs(path.join(d, 'ws', 'storage'), totalBytes);
      fs.writeFileSync(path.join(d, 'blobs.json'), JSON.stringify(blobs));
    });
    blobs = JSON.parse(fs.readFileSync(path.join(dir, 'blobs.json'), 'utf8'));
    const ws = path.join(dir, 'ws');
    const storage = path.join(ws, 'storage');
    log(`${generated ? 'generated' : 'reusing'} a workspace with ${blobs.count} blobs, ${(blobs.bytes / 2 ** 20).toFixed(0)} MiB`);

    // Each round: a fresh backup root; full backup (timed), unchanged incremental (timed),
    // then `cp -r` and `cp -r` + `sync` of the storage folder (timed). Dirty pages are flushed
    // (untimed) before every timed step so one step's writeback does not land on the next.
    const full = [];
    const incremental = [];
    const cp = [];
    const cpSync = [];
    let fullReport = null;
    for (let i = 0; i < warmup + runs; i++) {
      const dest = scratch('backup-dest');
      await sync();
      // No RSS hook in the timed processes: this benchmark reports no memory.
      const a = await midcOk(['backup', 'run', '--to', dest, '--workspace', ws, '--json'], { rss: false });
      fullReport = JSON.parse(a.stdout);
      await sync();
      const b = await midcOk(['backup', 'run', '--to', dest, '--workspace', ws, '--json'], { rss: false });
      const second = JSON.parse(b.stdout);
      if (second.files !== fullReport.files) throw new Error(`the incremental backup has ${second.files} files, the full one ${fullReport.files}`);
      remove(dest);
      const copyTo = scratch('backup-cp');
      await sync();
      const c = await run('cp', ['-r', storage, path.join(copyTo, 'storage')]);
      if (c.code !== 0) throw new Error(`cp -r failed: ${c.stderr}`);
      await sync();
      remove(copyTo);
      await sync();
      const copyTo2 = scratch('backup-cp');
      const t0 = performance.now();
      const d = await run('cp', ['-r', storage, path.join(copyTo2, 'storage')]);
      if (d.code !== 0) throw new Error(`cp -r failed: ${d.stderr}`);
      await sync();
      const cpSyncMs = performance.now() - t0;
      remove(copyTo2);
      if (i >= warmup) {
        full.push(a.ms);
        incremental.push(b.ms);
        cp.push(c.ms);
        cpSync.push(cpSyncMs);
      }
      log(`round ${i + 1}/${warmup + runs}${i < warmup ? ' (warm-up)' : ''}: full ${fmtMs(a.ms)}, incremental ${fmtMs(b.ms)}, cp -r ${fmtMs(c.ms)}, cp -r + sync ${fmtMs(cpSyncMs)}`);
    }
    // For scale: the start and exit of an empty Node process, measured as the MIDC runs are.
    const bare = [];
    for (let i = 0; i < runs; i++) {
      await sync();
      bare.push((await run(process.execPath, ['-e', '0'], { node: true, rss: false })).ms);
    }
    const node0 = summarize(bare);
    const f = summarize(full);
    const inc = summarize(incremental);
    const c = summarize(cp);
    const cs = summarize(cpSync);
    const bytes = blobs.bytes;
    const share = c.median / f.median; // throughput ratio = inverse time ratio
    const shareSync = cs.median / f.median;
    const incShare = inc.median / f.median;
    const size = `${(bytes / 2 ** 20).toFixed(0)} MiB in ${blobs.count} blobs`;
    const results = [
      {
        name: 'full backup vs cp -r',
        what: `\`midc backup run\` into an empty backup root: database snapshot + ${size} copied into the root's blob pool, every copy hashed, made durable by one syncfs before the backup is named`,
        midc: `${mbps(bytes, f.median)}; ${describe(f)}`,
        anchor: `\`cp -r storage\`: ${mbps(bytes, c.median)}; ${describe(c)}`,
        ratio: `${(share * 100).toFixed(0)}% of cp -r throughput`,
        target: '≥ 50% of `cp -r` throughput',
        pass: share >= 0.5,
        notes: 'cp -r returns with the data still in the page cache; the backup is durable (one syncfs of the backup root\'s filesystem, started early while copying) before it names the backup complete (see the next line for cp -r + sync).',
      },
      {
        name: 'full backup vs cp -r + sync',
        what: 'the same, against a copy that is also on disk when it ends',
        midc: `${mbps(bytes, f.median)}; ${describe(f)}`,
        anchor: `\`cp -r storage && sync\`: ${mbps(bytes, cs.median)}; ${describe(cs)}`,
        ratio: `${(shareSync * 100).toFixed(0)}% of cp -r + sync throughput`,
        target: 'informational (same durability as the backup)',
        pass: null,
      },
      {
        name: 'unchanged incremental vs full',
        what: 'a second `midc backup run` into the same root with nothing changed: every blob referenced from the root\'s pool (no copy, no link), the folder holds only the snapshot and the manifest',
        midc: `${describe(inc)}`,
        anchor: `the full backup: ${describe(f)}`,
        ratio: `${(incShare * 100).toFixed(1)}% of the full backup's time`,
        target: '≤ 5% of the full backup',
        pass: incShare <= 0.05,
        notes: `${fullReport.files} files per backup. Both times are whole processes, Node's start and exit included: an empty \`node -e 0\` took ${describe(node0)} in this run.`,
      },
    ];
    const notes = ['The workspace is `midc init` plus blobs written directly in the store layout (storage/blobs/ab/<sha256>); backup walks the store, so it copies them like imported ones. Source and backup root are on the same disk here.'];
    return { status: 'ok', results, notes, sizes: `${size}, ${runs} rounds after ${warmup} warm-up` };
  },
};
