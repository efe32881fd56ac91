import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupConfig, RootHealthView } from '../../shared/contract/backup';
import { backupConfigSchema } from '../../shared/contract/backup';
import { AppError } from '../../shared/errors';
import { tempDir } from '../../../test/helpers/workspace';
import { DEFAULT_BACKUP_CONFIG } from './backup-settings';
import { assessBackupHealth, detectRemovable, validateDestinations, type HealthFacts } from './policy';

const NOW = new Date('2026-11-22T08:00:00.000Z');
const HOUR = 3_600_000;

const okRoot = (p: string): RootHealthView => ({ path: p, status: 'ok', problems: [], present: true, writable: true, freeBytes: 1e12, totalBytes: 2e12, fsType: 'ext4', raid: null });

function facts(over: Partial<HealthFacts> = {}): HealthFacts {
  const config: BackupConfig = {
    ...DEFAULT_BACKUP_CONFIG,
    destinations: [
      { path: '/backup/raid2', label: 'RAID 2', removable: false },
      { path: '/media/usb', label: 'USB', removable: true },
    ],
  };
  return {
    now: NOW,
    config,
    destinations: [
      { path: '/backup/raid2', label: 'RAID 2', removable: false, detectedRemovable: false, root: okRoot('/backup/raid2'), backups: 3, newestAt: null, device: 1 },
      { path: '/media/usb', label: 'USB', removable: true, detectedRemovable: true, root: okRoot('/media/usb'), backups: 2, newestAt: null, device: 2 },
    ],
    newestVerified: { id: 'b', path: '/backup/raid2/b', createdAt: new Date(NOW.getTime() - 2 * HOUR).toISOString(), verifiedAt: NOW.toISOString() },
    lastRun: { at: NOW.toISOString(), ok: true, destination: '/backup/raid2', error: null },
    lastDrill: { at: new Date(NOW.getTime() - 24 * HOUR).toISOString(), ok: true, durationMs: 1000 },
    storage: okRoot('/ws/storage'),
    workspaceDevice: 3,
    ...over,
  };
}

const keys = (f: HealthFacts) => assessBackupHealth(f).reasons.map((r) => `${r.level}:${r.key}`);

describe('assessBackupHealth (fake clock)', () => {
  it('is healthy with a fresh verified backup, two destinations on two devices, one removable, a recent drill', () => {
    const h = assessBackupHealth(facts());
    expect(h.reasons).toEqual([]);
    expect(h.status).toBe('healthy');
    expect(h.newestVerified?.ageHours).toBe(2);
  });

  it('turns to warning exactly at the limit and critical at twice the limit', () => {
    const aged = (hours: number) => facts({ newestVerified: { id: 'b', path: '/b', createdAt: new Date(NOW.getTime() - hours * HOUR).toISOString(), verifiedAt: NOW.toISOString() } });
    expect(assessBackupHealth(aged(23.9)).status).toBe('healthy');
    expect(assessBackupHealth(aged(24)).status).toBe('warning');
    expect(keys(aged(24))).toEqual(['warning:verifiedBackupOld']);
    expect(assessBackupHealth(aged(48)).status).toBe('critical');
    // The limit is the configured one.
    const f = aged(30);
    expect(assessBackupHealth({ ...f, config: { ...f.config, healthLimitHours: 36 } }).status).toBe('healthy');
  });

  it('is critical with no verified backup at all, whatever else is fine', () => {
    expect(assessBackupHealth(facts({ newestVerified: null }))).toMatchObject({ status: 'critical', reasons: [{ key: 'noVerifiedBackup' }] });
  });

  it('warns under target 22: one destination, none removable, two on one device, one on the workspace device', () => {
    const one = facts();
    expect(keys({ ...one, destinations: one.destinations.slice(0, 1) })).toEqual(['warning:fewDestinations', 'warning:noRemovable']);
    expect(keys({ ...one, destinations: one.destinations.map((d) => ({ ...d, device: 1 })) })).toEqual(['warning:sameDevice']);
    expect(keys({ ...one, workspaceDevice: 2 })).toEqual(['warning:destinationOnWorkspaceDevice']);
    expect(keys({ ...one, destinations: [] })).toEqual(['warning:fewDestinations']);
  });

  it('says nothing about absent removable media but warns about a missing fixed destination', () => {
    const f = facts();
    const absent = (i: number) => f.destinations.map((d, j) => (j === i ? { ...d, root: { ...d.root, present: false, status: 'error' as const } } : d));
    expect(keys({ ...f, destinations: absent(1) })).toEqual([]);
    expect(keys({ ...f, destinations: absent(0) })).toEqual(['warning:destinationMissing']);
  });

  it('reports a failed last run, a storage root in error (critical) and an old or missing drill', () => {
    expect(keys(facts({ lastRun: { at: NOW.toISOString(), ok: false, destination: '/x', error: 'disk full' } }))).toEqual(['warning:lastRunFailed']);
    expect(assessBackupHealth(facts({ storage: { ...okRoot('/s'), status: 'error', problems: ['gone'] } })).status).toBe('critical');
    expect(keys(facts({ lastDrill: null }))).toEqual(['warning:noDrill']);
    expect(keys(facts({ lastDrill: { at: new Date(NOW.getTime() - 40 * 24 * HOUR).toISOString(), ok: true, durationMs: 1 } }))).toEqual(['warning:drillOld']);
  });

  it('is critical when the last full integrity check failed, warns when it is more than 15 days old, and shows it', () => {
    const at = (days: number) => new Date(NOW.getTime() - days * 24 * HOUR).toISOString();
    const failed = assessBackupHealth(facts({ integrity: { at: at(1), ok: false, problems: ['row 2 missing from index t_a'], durationMs: 5 } }));
    expect(failed.status).toBe('critical');
    expect(failed.reasons).toEqual([expect.objectContaining({ level: 'critical', key: 'integrityCheckFailed', message: expect.stringContaining('row 2 missing from index t_a') })]);
    expect(failed.integrity).toMatchObject({ ok: false });
    expect(keys(facts({ integrity: { at: at(16), ok: true, problems: [], durationMs: 5 } }))).toEqual(['warning:integrityCheckOld']);
    const fresh = assessBackupHealth(facts({ integrity: { at: at(6), ok: true, problems: [], durationMs: 5 }, nextChecks: { integrity: at(-1), verify: null } }));
    expect(fresh.status).toBe('healthy');
    expect(fresh.nextChecks).toEqual({ integrity: at(-1), verify: null });
  });
});

describe('validateDestinations', () => {
  let root: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir: root, cleanup } = tempDir('midc-policy-')));
  afterEach(() => cleanup());

  const config = (destinations: BackupConfig['destinations']): BackupConfig => ({ ...DEFAULT_BACKUP_CONFIG, destinations });
  const refusal = (f: () => unknown): AppError => {
    try {
      f();
    } catch (err) {
      return err as AppError;
    }
    throw new Error('not refused');
  };

  it('accepts existing folders outside the workspace and absent removable media', () => {
    const ws = path.join(root, 'ws');
    fs.mkdirSync(ws);
    fs.mkdirSync(path.join(root, 'b1'));
    const checks = validateDestinations(
      config([
        { path: path.join(root, 'b1'), label: '', removable: false },
        { path: path.join(root, 'usb-not-mounted'), label: '', removable: true },
      ]),
      ws,
    );
    expect(checks.map((c) => c.present)).toEqual([true, false]);
  });

  it('refuses a destination inside the workspace (also through a symlink), a missing fixed one, and a file', () => {
    const ws = path.join(root, 'ws');
    fs.mkdirSync(path.join(ws, 'inner'), { recursive: true });
    fs.symlinkSync(path.join(ws, 'inner'), path.join(root, 'sneaky'));
    fs.writeFileSync(path.join(root, 'file'), 'x');
    const inside = refusal(() => validateDestinations(config([{ path: path.join(ws, 'inner'), label: '', removable: false }]), ws));
    expect(inside).toBeInstanceOf(AppError);
    expect(inside.code).toBe('VALIDATION');
    expect(inside.message).toMatch(/inside the workspace/);
    expect(refusal(() => validateDestinations(config([{ path: path.join(root, 'sneaky'), label: '', removable: false }]), ws)).message).toMatch(/inside the workspace/);
    expect(refusal(() => validateDestinations(config([{ path: ws, label: '', removable: false }]), ws)).message).toMatch(/inside the workspace/);
    expect(refusal(() => validateDestinations(config([{ path: path.join(root, 'nope'), label: '', removable: false }]), ws)).message).toMatch(/does not exist/);
    expect(refusal(() => validateDestinations(config([{ path: path.join(root, 'file'), label: '', removable: false }]), ws)).message).toMatch(/not a folder/);
  });
});

describe('backupConfigSchema', () => {
  it('refuses bad cron strings naming the field, duplicates, relative paths and a policy keeping nothing', () => {
    const base = { destinations: [], schedules: [], retention: { daily: 1, weekly: 0, monthly: 0 } };
    expect(backupConfigSchema.safeParse(base).success).toBe(true);
    const bad = (over: object) => {
      const r = backupConfigSchema.safeParse({ ...base, ...over });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(bad({ schedules: [{ name: 'x', cron: '0 25 * * *' }] })).toEqual(['schedules.0.cron: hour field "25": 25 is out of range 0-23']);
    expect(bad({ schedules: [{ name: 'x', cron: '0 2 * * *' }, { name: 'x', cron: '0 3 * * *' }] })).toEqual(['schedules.1.name: two schedules have this name']);
    expect(bad({ destinations: [{ path: 'relative/dir' }] })).toEqual(['destinations.0.path: must be an absolute path']);
    expect(bad({ destinations: [{ path: '/a' }, { path: '/a/' }] })).toEqual(['destinations.1.path: listed twice']);
    expect(bad({ retention: { daily: 0, weekly: 0, monthly: 0 } })[0]).toMatch(/keep at least one backup/);
  });
});

describe('detectRemovable', () => {
  const mountInfo = [
    '22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw',
    '40 22 8:17 / /media/usb rw,relatime - ext4 /dev/sdb1 rw',
    '41 22 9:0 / /backup rw,relatime - ext4 /dev/md0 rw',
    '42 22 0:30 / /tmp rw - tmpfs tmpfs rw',
  ].join('\n');
  const sys: Record<string, string> = {
    '/sys/devices/pci0000:00/ata1/host0/block/sda/removable': '0\n',
    '/sys/devices/pci0000:00/ata1/host0/block/sda/sda1/partition': '1\n',
    '/sys/devices/pci0000:00/usb2/2-1/host6/block/sdb/removable': '0\n',
    '/sys/devices/pci0000:00/usb2/2-1/host6/block/sdb/sdb1/partition': '1\n',
    '/sys/devices/virtual/block/md0/removable': '0\n',
  };
  const links: Record<string, string> = {
    '/sys/class/block/sda1': '/sys/devices/pci0000:00/ata1/host0/block/sda/sda1',
    '/sys/class/block/sdb1': '/sys/devices/pci0000:00/usb2/2-1/host6/block/sdb/sdb1',
    '/sys/class/block/md0': '/sys/devices/virtual/block/md0',
  };
  const lookup = {
    mountInfo,
    realpath: (p: string) => {
      if (links[p]) return links[p] as string;
      if (p.startsWith('/sys/class/block/')) throw new Error('ENOENT');
      return p;
    },
    readFile: (p: string) => sys[p] ?? null,
  };

  it('calls a USB disk removable even when its removable bit is 0, and RAID and SATA disks fixed', () => {
    expect(detectRemovable('/media/usb/midc', lookup)).toBe(true);
    expect(detectRemovable('/backup/midc', lookup)).toBe(false);
    expect(detectRemovable('/home/ops', lookup)).toBe(false);
  });

  it('does not know for a filesystem without a block device, or without mountinfo', () => {
    expect(detectRemovable('/tmp/x', lookup)).toBeNull();
    expect(detectRemovable('/media/usb', { ...lookup, mountInfo: null })).toBeNull();
  });

  it('reads the removable bit of an SD card reader', () => {
    const sd = { ...lookup, readFile: (p: string) => (p === '/sys/devices/pci0000:00/ata1/host0/block/sda/removable' ? '1\n' : (sys[p] ?? null)) };
    expect(detectRemovable('/home/ops', sd)).toBe(true);
  });
});
