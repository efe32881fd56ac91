import crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * SHA-256 off the JavaScript thread, without copying the bytes (bench "backup"). Read buffers
 * are SharedArrayBuffers; a few worker threads hash them in place and answer with the hex
 * digest, so with several files in flight one core hashes while the other reads and writes
 * (libuv's thread pool), and the JavaScript thread only orchestrates.
 *
 * WebCrypto's `subtle.digest` also runs in the thread pool, but Node first copies the input
 * on the JavaScript thread (~0.5 s per GiB here, measured) and refuses shared memory. When a
 * worker cannot start or dies, the JavaScript thread hashes (the hashes are the same).
 *
 * The workers are inline CommonJS (`eval`), so there is no extra file to build or find.
 */
const SOURCE = `'use strict';
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
parentPort.on('message', (m) => {
  try {
    const sha = crypto.createHash('sha256').update(new Uint8Array(m.sab, m.offset, m.length)).digest('hex');
    parentPort.postMessage({ id: m.id, sha });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.message) || err) });
  }
});`;

interface Pending {
  resolve(sha: string): void;
  reject(err: Error): void;
}

export class Hasher {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private turn = 0;
  private broken = false;

  constructor(workers: number) {
    try {
      for (let i = 0; i < workers; i++) this.workers.push(this.spawn());
    } catch {
      this.fallBack();
    }
  }

  /** Hashed by a worker when `bytes` lies in a SharedArrayBuffer, else on this thread. */
  digest(bytes: Buffer): Promise<string> {
    const worker = this.broken ? undefined : this.workers[this.turn++ % this.workers.length];
    if (!worker || !(bytes.buffer instanceof SharedArrayBuffer)) return sha256Here(bytes);
    const id = ++this.seq;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, sab: bytes.buffer, offset: bytes.byteOffset, length: bytes.length });
    });
  }

  close(): void {
    for (const w of this.workers.splice(0)) void w.terminate();
  }

  private spawn(): Worker {
    const w = new Worker(SOURCE, { eval: true });
    w.on('message', (m: { id: number; sha?: string; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.sha !== undefined) p.resolve(m.sha);
      else p.reject(new Error(`hashing failed: ${m.error ?? 'unknown error'}`));
    });
    // A worker that dies takes its pending hashes with it: reject them (the copy fails and is
    // removed), and hash the rest on the thread pool.
    const die = (err: Error) => {
      this.fallBack();
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    w.on('error', die);
    w.on('exit', (code) => code !== 0 && die(new Error(`the hash worker exited (${code})`)));
    return w;
  }

  private fallBack(): void {
    this.broken = true;
  }
}

/** SHA-256 on the calling thread. */
export function sha256Here(bytes: Uint8Array): Promise<string> {
  return Promise.resolve(crypto.createHash('sha256').update(bytes).digest('hex'));
}
