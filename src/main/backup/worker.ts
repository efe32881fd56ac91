/**
 * Backup worker (built to out/main/backup-worker.js): runs one backup, one verification of a
 * backup, or one full integrity_check of the workspace database, off the main thread, so that
 * the app's IPC stays responsive while the database is snapshotted (VACUUM INTO,
 * integrity_check) and the blobs are copied, hashed and fsynced (issue 8). One task per
 * worker; the main side is run-in-worker.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runBackup } from './backup';
import { checkDatabaseIntegrity } from './integrity';
import { verifyBackup } from './verify-backup';
import { serializeError, type WorkerReply, type WorkerTask } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('backup-worker.js must run as a worker thread');

const task = workerData as WorkerTask;
const controller = new AbortController();
port.on('message', (message: { type: 'cancel' }) => {
  if (message.type === 'cancel') controller.abort();
});

const reply = (message: WorkerReply): void => port.postMessage(message);

async function main(): Promise<WorkerReply> {
  if (task.kind === 'backup') {
    // The clock of the caller (a fake clock in tests): its time at the start, moving on in real time.
    const started = Date.now();
    const now = (): Date => new Date(task.startMs + (Date.now() - started));
    const result = await runBackup({
      workspaceDir: task.workspaceDir,
      destDir: task.destDir,
      signal: controller.signal,
      now,
      ...(task.progressIntervalMs !== undefined ? { progressIntervalMs: task.progressIntervalMs } : {}),
      onProgress: (progress) => reply({ type: 'progress', progress }),
    });
    return { type: 'backup-done', result };
  }
  if (task.kind === 'integrity') return { type: 'integrity-done', report: checkDatabaseIntegrity(task.dbFile) };
  const report = await verifyBackup(task.backupPath, {
    ...(task.sample ? { sample: task.sample } : {}),
    ...(task.quarantine ? { quarantine: true } : {}),
    onProgress: (done, total) => reply({ type: 'verify-progress', done, total }),
  });
  return { type: 'verify-done', report };
}

main().then(
  (message) => {
    reply(message);
    port.close();
  },
  (err: unknown) => {
    reply({ type: 'error', error: serializeError(err) });
    port.close();
  },
);
