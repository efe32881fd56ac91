import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/workspace';
import { ensureWorkspaceDirs } from '../workspace/prepare';
import { workspaceLayout, type Workspace } from '../workspace/workspace';
import { BlobStore, TEMP_PREFIX } from './blob-store';
import { storageStartup } from './startup';

let dir: string;
let cleanup: () => void;
let ws: Workspace;

beforeEach(() => {
  ({ dir, cleanup } = tempDir('midc-startup-'));
  ws = workspaceLayout(dir);
  ensureWorkspaceDirs(ws);
});
afterEach(() => cleanup());

describe('storageStartup', () => {
  it('reports a healthy root and removes orphan temps of interrupted writes', () => {
    const { sha256 } = new BlobStore(ws.storageDir).put(Buffer.from('kept'));
    const orphan = path.join(path.dirname(new BlobStore(ws.storageDir).path(sha256)), `${TEMP_PREFIX}orphan`);
    fs.writeFileSync(orphan, 'half');
    const report = storageStartup(ws, { mountInfo: null, mdstat: null, statfs: () => ({ bsize: 1, blocks: 100, bavail: 50 }), tempMinAgeMs: 0 });
    expect(report.storage.status).toBe('ok');
    expect(report.removedTemps).toEqual([orphan]);
    expect(new BlobStore(ws.storageDir).has(sha256)).toBe(true);
  });

  it('reports a missing storage root as an error without creating it', () => {
    fs.rmSync(ws.storageDir, { recursive: true });
    const report = storageStartup(ws, { mountInfo: null, mdstat: null });
    expect(report.storage).toMatchObject({ status: 'error', present: false });
    expect(report.removedTemps).toEqual([]);
    expect(fs.existsSync(ws.storageDir)).toBe(false);
  });
});
