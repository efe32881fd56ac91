import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../../test/helpers/workspace';
import { assessRoot, checkRoot, mdArrayForSource, parseMdstat, type RootFacts } from './roots';

const HEALTHY_RAID1 = `Personalities : [raid1] [linear] [multipath] [raid0] [raid6] [raid5] [raid4] [raid10]
md0 : active raid1 sdb1[1] sda1[0]
      1953382464 blocks super 1.2 [2/2] [UU]
      bitmap: 0/15 pages [0KB], 65536KB chunk

unused devices: <none>
`;

const DEGRADED_RAID1 = `Personalities : [raid1]
md127 : active raid1 sdc1[2](F) sdd1[1]
      976630464 blocks super 1.2 [2/1] [_U]
      bitmap: 3/8 pages [12KB], 65536KB chunk

unused devices: <none>
`;

const REBUILDING_RAID1 = `Personalities : [raid1]
md1 : active raid1 sdf1[2] sde1[0]
      976630464 blocks super 1.2 [2/1] [U_]
      [====>................]  recovery = 22.1% (216138240/976630464) finish=61.3min speed=206500K/sec
      bitmap: 2/8 pages [8KB], 65536KB chunk

unused devices: <none>
`;

const RESYNCING_RAID5 = `Personalities : [raid6] [raid5] [raid4]
md2 : active raid5 sdi1[3] sdh1[1] sdg1[0]
      1953260544 blocks super 1.2 level 5, 512k chunk, algorithm 2 [3/3] [UUU]
      [=>...................]  resync =  8.3% (81234560/976630272) finish=93.1min speed=160320K/sec
      bitmap: 8/8 pages [32KB], 65536KB chunk

md3 : active (auto-read-only) raid1 sdk1[1] sdj1[0]
      488253440 blocks super 1.2 [2/2] [UU]
        resync=PENDING

md4 : active raid0 sdm[1] sdl[0]
      1953262592 blocks super 1.2 512k chunks

md5 : inactive sdn[0](S)
      976630464 blocks super 1.2

unused devices: <none>
`;

const NO_ARRAYS = `Personalities :
unused devices: <none>
`;

const MOUNTINFO = `22 1 9:0 / / rw,relatime shared:1 - ext4 /dev/md0 rw
30 22 0:25 / /mnt/nas rw,relatime shared:2 - nfs4 server:/export rw
31 22 8:1 / /mnt/plain rw,relatime shared:3 - xfs /dev/sda1 rw
32 22 253:0 / /mnt/lvm rw,relatime shared:4 - ext4 /dev/mapper/vg-data rw
`;

describe('parseMdstat', () => {
  it('reads a healthy raid1', () => {
    const [md0, ...rest] = parseMdstat(HEALTHY_RAID1);
    expect(rest).toEqual([]);
    expect(md0).toEqual({
      name: 'md0',
      active: true,
      readOnly: false,
      level: 'raid1',
      members: [
        { device: 'sdb1', slot: 1, faulty: false, spare: false },
        { device: 'sda1', slot: 0, faulty: false, spare: false },
      ],
      raidDisks: 2,
      workingDisks: 2,
      mask: 'UU',
      degraded: false,
      sync: null,
    });
  });

  it('sees a degraded raid1 with a failed member', () => {
    const [md] = parseMdstat(DEGRADED_RAID1);
    expect(md).toMatchObject({ name: 'md127', level: 'raid1', raidDisks: 2, workingDisks: 1, mask: '_U', degraded: true, sync: null });
    expect(md?.members[0]).toEqual({ device: 'sdc1', slot: 2, faulty: true, spare: false });
  });

  it('reads the progress of a rebuild', () => {
    const [md] = parseMdstat(REBUILDING_RAID1);
    expect(md).toMatchObject({ degraded: true, mask: 'U_', sync: { action: 'recovery', progress: 22.1, finishMinutes: 61.3, pending: null } });
  });

  it('reads a resyncing raid5, a pending resync, a raid0 and an inactive array', () => {
    const arrays = parseMdstat(RESYNCING_RAID5);
    expect(arrays.map((a) => a.name)).toEqual(['md2', 'md3', 'md4', 'md5']);
    const [md2, md3, md4, md5] = arrays;
    expect(md2).toMatchObject({ level: 'raid5', raidDisks: 3, workingDisks: 3, mask: 'UUU', degraded: false });
    expect(md2?.sync).toEqual({ action: 'resync', progress: 8.3, finishMinutes: 93.1, pending: null });
    expect(md3).toMatchObject({ level: 'raid1', readOnly: true, degraded: false, sync: { action: 'resync', progress: null, pending: 'PENDING' } });
    expect(md4).toMatchObject({ level: 'raid0', raidDisks: null, mask: null, degraded: false, sync: null });
    expect(md4?.members).toHaveLength(2);
    expect(md5).toMatchObject({ active: false, level: null, members: [{ device: 'sdn', slot: 0, faulty: false, spare: true }] });
  });

  it('returns no arrays when there are none (or no md driver)', () => {
    expect(parseMdstat(NO_ARRAYS)).toEqual([]);
    expect(parseMdstat('')).toEqual([]);
  });
});

describe('mdArrayForSource', () => {
  const arrays = [...parseMdstat(HEALTHY_RAID1), ...parseMdstat(DEGRADED_RAID1)];
  const lookup = {
    realpath: (p: string) => ({ '/dev/md/data': '/dev/md127', '/dev/mapper/vg-data': '/dev/dm-0' })[p] ?? p,
    slavesOf: (d: string) => (d === 'dm-0' ? ['md0'] : []),
  };

  it('maps md devices, their partitions, named arrays and LVM volumes on md to their array', () => {
    expect(mdArrayForSource('/dev/md0', arrays, lookup)?.name).toBe('md0');
    expect(mdArrayForSource('/dev/md0p1', arrays, lookup)?.name).toBe('md0');
    expect(mdArrayForSource('/dev/md/data', arrays, lookup)?.name).toBe('md127');
    expect(mdArrayForSource('/dev/mapper/vg-data', arrays, lookup)?.name).toBe('md0');
  });

  it('finds nothing for plain disks and non-device sources', () => {
    expect(mdArrayForSource('/dev/sda1', arrays, lookup)).toBeNull();
    expect(mdArrayForSource('server:/export', arrays, lookup)).toBeNull();
    expect(mdArrayForSource('/dev/md9', arrays, lookup)).toBeNull();
  });
});

describe('assessRoot', () => {
  const good: RootFacts = {
    path: '/data',
    present: true,
    writable: true,
    writeError: null,
    freeBytes: 500,
    totalBytes: 1000,
    fsType: 'ext4',
    mountSource: '/dev/md0',
    raid: parseMdstat(HEALTHY_RAID1)[0] ?? null,
  };

  it('is ok on a writable local root with room on a healthy array', () => {
    expect(assessRoot(good)).toMatchObject({ status: 'ok', problems: [] });
  });

  it('warns on a degraded array and on less than 10% free', () => {
    const degraded = assessRoot({ ...good, raid: parseMdstat(REBUILDING_RAID1)[0] ?? null });
    expect(degraded.status).toBe('warning');
    expect(degraded.problems[0]).toMatch(/md1 \(raid1\) is degraded \[U_\], recovery 22.1% done/);
    const full = assessRoot({ ...good, freeBytes: 99 });
    expect(full.status).toBe('warning');
    expect(full.problems[0]).toMatch(/only 9.9% free/);
    expect(assessRoot({ ...good, freeBytes: 100 }).status).toBe('ok');
  });

  it('is an error when the root is missing, read-only or on a network filesystem', () => {
    expect(assessRoot({ ...good, present: false })).toMatchObject({ status: 'error', problems: ['/data is missing (is the volume mounted?)'] });
    expect(assessRoot({ ...good, writable: false, writeError: 'EROFS' }).problems).toEqual(['/data is not writable (EROFS)']);
    expect(assessRoot({ ...good, fsType: 'nfs4', raid: null }).status).toBe('error');
    // An error outranks warnings, which are still listed.
    const both = assessRoot({ ...good, writable: false, writeError: 'EROFS', freeBytes: 1 });
    expect(both.status).toBe('error');
    expect(both.problems).toHaveLength(2);
  });
});

describe('checkRoot', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('midc-roots-')));
  afterEach(() => {
    vi.restoreAllMocks();
    cleanup();
  });

  const statfs = () => ({ bsize: 4096, blocks: 1000, bavail: 400 });

  it('reports a present, writable root with its space, filesystem and array', () => {
    const mountInfo = `22 1 9:0 / / rw - ext4 /dev/md0 rw\n`;
    const health = checkRoot(dir, { mountInfo, mdstat: HEALTHY_RAID1, statfs });
    expect(health).toMatchObject({ status: 'ok', present: true, writable: true, freeBytes: 400 * 4096, totalBytes: 1000 * 4096, fsType: 'ext4', mountSource: '/dev/md0' });
    expect(health.raid?.name).toBe('md0');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('flags a degraded array under the root', () => {
    const mountInfo = `22 1 9:0 / / rw - ext4 /dev/md127 rw\n`;
    expect(checkRoot(dir, { mountInfo, mdstat: DEGRADED_RAID1, statfs }).status).toBe('warning');
  });

  it('flags a network filesystem', () => {
    const real = fs.realpathSync(dir);
    const mountInfo = `${MOUNTINFO}40 22 0:50 / ${real} rw - nfs4 server:/x rw\n`;
    expect(checkRoot(dir, { mountInfo, mdstat: null, statfs })).toMatchObject({ status: 'error', fsType: 'nfs4', raid: null });
  });

  it('flags a missing root without creating it', () => {
    const gone = path.join(dir, 'not-mounted');
    expect(checkRoot(gone, { mountInfo: MOUNTINFO, mdstat: null, statfs })).toMatchObject({ status: 'error', present: false });
    expect(fs.existsSync(gone)).toBe(false);
  });

  it('flags a root where the probe file cannot be created', () => {
    vi.spyOn(fs, 'openSync').mockImplementation(() => {
      throw Object.assign(new Error('EROFS'), { code: 'EROFS' });
    });
    expect(checkRoot(dir, { mountInfo: null, mdstat: null, statfs })).toMatchObject({ status: 'error', writable: false, writeError: 'EROFS' });
  });

  it('works on the real machine without injected facts', () => {
    const health = checkRoot(dir);
    expect(health.present).toBe(true);
    expect(health.totalBytes).toBeGreaterThan(0);
  });
});
