import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { tempDir } from '../../../test/helpers/workspace';
import { compareVersions, MIN_SQLITE_VERSION, openDatabase } from './database';
import { isNetworkFs, mountFor, parseMountInfo } from './filesystem';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const MOUNTINFO = [
  '22 1 253:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
  '30 22 0:40 / /mnt/raid rw,relatime shared:9 - xfs /dev/md0 rw',
  '31 22 0:41 / /mnt/nas rw,relatime shared:10 - nfs4 nas:/export rw,vers=4.2',
  '32 22 0:42 / /mnt/with\\040space rw - cifs //srv/share rw',
].join('\n');

describe('the database factory', () => {
  it('opens with WAL, synchronous=FULL, foreign keys, a busy timeout and a fixed SQLite', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = openDatabase(`${t.dir}/midc.sqlite`);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000);
    const version = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
    expect(compareVersions(version, MIN_SQLITE_VERSION)).toBeGreaterThanOrEqual(0);
    db.close();
  });

  it('refuses a folder on a network filesystem', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const mountInfo = `${MOUNTINFO}\n40 22 0:50 / ${t.dir} rw - nfs4 nas:/x rw`;
    let caught: unknown;
    try {
      openDatabase(`${t.dir}/midc.sqlite`, { mountInfo });
    } catch (err) {
      caught = err;
    }
    expect((caught as AppError).code).toBe('STORAGE_IO');
    expect((caught as AppError).message).toMatch(/network filesystem \(nfs4\)/);
  });

  it('reports a file that is not a database as damaged', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    fs.writeFileSync(`${t.dir}/midc.sqlite`, Buffer.alloc(8192, 7));
    expect(() => openDatabase(`${t.dir}/midc.sqlite`)).toThrow(/damaged/);
  });
});

describe('mount detection', () => {
  it('finds the longest mount point holding a path, unescaping octal spaces', () => {
    const mounts = parseMountInfo(MOUNTINFO);
    expect(mountFor('/mnt/raid/midc/db', mounts)?.fsType).toBe('xfs');
    expect(mountFor('/mnt/raidx', mounts)?.fsType).toBe('ext4');
    expect(mountFor('/mnt/nas', mounts)?.fsType).toBe('nfs4');
    expect(mountFor('/mnt/with space/a', mounts)?.fsType).toBe('cifs');
  });

  it('knows network and FUSE filesystems from local ones', () => {
    for (const t of ['nfs', 'nfs4', 'cifs', 'smb3', '9p', 'fuse.sshfs', 'fuseblk', 'ceph']) expect(isNetworkFs(t)).toBe(true);
    for (const t of ['ext4', 'xfs', 'btrfs', 'tmpfs', 'overlay', 'zfs']) expect(isNetworkFs(t)).toBe(false);
  });
});
