import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { built, DICOM_FIXTURES } from '../../../test/helpers/built';
import { tempDir } from '../../../test/helpers/workspace';
import { createApp } from '../app';
import { countPendingPixels } from './ingest-repository';
import { importPaths } from './ingest-service';
import { startPendingPixels } from './pixel-catch-up';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const worker = () => built('ingest-worker.js');
const FILES = ['CT_small.dcm', 'MR_small.dcm'].map((f) => path.join(DICOM_FIXTURES, f));

async function workspaceWithPendingPixels(): Promise<string> {
  const { dir, cleanup } = tempDir('midc-pixels-');
  cleanups.push(cleanup);
  const cli = createApp({ workspaceDir: dir, host: 'cli', appOrigin: 'cli:' });
  try {
    const report = await importPaths(cli.services, FILES, { actor: { id: null, name: 'test' }, workerFile: worker(), deferPixels: true });
    expect(report.imported).toBe(2);
    expect(countPendingPixels(cli.services.db)).toBe(2);
  } finally {
    cli.close();
  }
  return dir;
}

describe('pending pixel data at start-up', () => {
  it('a host started on a workspace with deferred thumbnails makes them in the background', async () => {
    const dir = await workspaceWithPendingPixels();
    const host = createApp({ workspaceDir: dir, host: 'chromium', appOrigin: 'midc://app' });
    cleanups.push(() => host.close());
    for (let i = 0; i < 400 && countPendingPixels(host.services.db) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    await host.shutdown();
    const db = new Database(path.join(dir, 'midc.sqlite'), { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM images WHERE pixels_pending = 1').get() as { n: number }).n).toBe(0);
      expect((db.prepare('SELECT count(*) AS n FROM images WHERE thumbnail_sha256 IS NOT NULL').get() as { n: number }).n).toBe(2);
    } finally {
      db.close();
    }
  });

  it('does nothing when no image is pending', async () => {
    const { dir, cleanup } = tempDir('midc-pixels-');
    cleanups.push(cleanup);
    const host = createApp({ workspaceDir: dir, host: 'chromium', appOrigin: 'midc://app', backgroundJobs: false });
    cleanups.push(() => host.close());
    let asked = false;
    const stop = startPendingPixels(host.services, () => {
      asked = true;
      return worker();
    });
    await stop();
    expect(asked).toBe(false);
  });
});
