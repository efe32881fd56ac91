'use strict';
// The storage part of an import, alone, as a whole process: what storing files one blob per
// file durably costs on this machine before any parsing or database work. Worker threads (as
// many as `midc import` starts: min(4, cores)) read each file, SHA-256 it and store it the way
// MIDC's BlobStore.putDeferred does (a new temp file in the blob's shard folder, written and
// renamed to blobs/<aa>/<sha256>); then one syncfs of the store (`sync -f`), as MIDC's
// StoreSyncer does per group. No parsing, no database, no report beyond a count.
//
//   node storage-floor-child.js SOURCE_DIR STORE_DIR   (STORE_DIR/blobs/00..ff made beforehand)

const { Worker, isMainThread, parentPort, threadId, workerData } = require('node:worker_threads');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (isMainThread) {
  const [source, store] = process.argv.slice(2);
  if (!source || !store) throw new Error('usage: storage-floor-child.js SOURCE_DIR STORE_DIR');
  const files = fs.readdirSync(source).sort().map((f) => path.join(source, f));
  const size = Math.max(1, Math.min(4, os.availableParallelism()));
  let stored = 0;
  let running = size;
  for (let w = 0; w < size; w++) {
    // Every size-th file, so each worker gets the same mix.
    const mine = files.filter((_, i) => i % size === w);
    const worker = new Worker(__filename, { workerData: { files: mine, blobs: path.join(store, 'blobs') } });
    worker.on('error', (err) => {
      throw err;
    });
    worker.on('message', (n) => {
      stored += n;
      if (--running > 0) return;
      execFileSync('sync', ['-f', store]);
      process.stdout.write(`${JSON.stringify({ stored })}\n`);
    });
  }
} else {
  const { files, blobs } = workerData;
  let counter = 0;
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    const dir = path.join(blobs, sha.slice(0, 2));
    const final = path.join(dir, sha);
    // A content-addressed store keeps what it already holds (MIDC checks the same way).
    if (fs.statSync(final, { throwIfNoEntry: false })) continue;
    const temp = path.join(dir, `.tmp-${process.pid}-${threadId}-${(counter++).toString(36)}`);
    const fd = fs.openSync(temp, 'wx', 0o444);
    for (let o = 0; o < bytes.length; ) o += fs.writeSync(fd, bytes, o, bytes.length - o);
    fs.closeSync(fd);
    fs.renameSync(temp, final);
  }
  parentPort.postMessage(files.length);
}
