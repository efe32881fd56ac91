import { describe, expect, it } from 'vitest';
import type { BackupConfig, BackupHealthView, BackupProgressView, RootHealthView } from '../../../../shared/contract';
import {
  ageText,
  configOf,
  draftOf,
  durationText,
  formatBytes,
  IDLE_RUN,
  isCancelled,
  problemsFromError,
  progressRatio,
  reduceProgress,
  translateReason,
  validateDraft,
  type ConfigDraft,
  type RunState,
} from './backup-model';

const CONFIG: BackupConfig = {
  destinations: [
    { path: '/mnt/raid2/midc', label: 'RAID 2', removable: false },
    { path: '/media/usb', label: 'USB', removable: true },
  ],
  schedules: [{ name: 'daily', cron: '0 2 * * *', enabled: true }],
  retention: { daily: 7, weekly: 4, monthly: 12 },
  healthLimitHours: 24,
  verifySample: 200,
  checks: { integrity: { cron: '0 4 * * 0', enabled: true }, verify: { cron: '0 5 * * *', enabled: true } },
};

const draft = (over: Partial<ConfigDraft> = {}): ConfigDraft => ({ ...draftOf(CONFIG), ...over });

describe('the settings draft', () => {
  it('round-trips a saved configuration unchanged', () => {
    expect(configOf(draftOf(CONFIG))).toEqual(CONFIG);
    expect(validateDraft(draftOf(CONFIG))).toEqual({});
  });

  it('names a bad cron by its field path, with the parser’s reason', () => {
    const problems = validateDraft(draft({ schedules: [{ name: 'daily', cron: '0 25 * * *', enabled: true }] }));
    expect(Object.keys(problems)).toEqual(['schedules.0.cron']);
    expect(problems['schedules.0.cron']).toMatchObject({ key: 'backup.settings.cronInvalid', params: { problem: expect.stringContaining('hour') } });
  });

  it('refuses numbers that are not whole numbers instead of guessing', () => {
    const problems = validateDraft(draft({ retention: { daily: '7', weekly: '1a', monthly: '' }, healthLimitHours: '2.5' }));
    expect(problems['retention.weekly']).toEqual({ key: 'backup.settings.notInteger' });
    expect(problems['retention.monthly']).toEqual({ key: 'backup.settings.notInteger' });
    expect(problems.healthLimitHours).toEqual({ key: 'backup.settings.notInteger' });
    expect(problems['retention.daily']).toBeUndefined();
  });

  it('applies the shared schema: relative paths, twice-listed folders, duplicate names, nothing kept', () => {
    const problems = validateDraft(
      draft({
        destinations: [
          { path: 'relative/dir', label: '', removable: false },
          { path: '/a/b', label: '', removable: false },
          { path: '/a/b/', label: '', removable: false },
        ],
        schedules: [
          { name: 'daily', cron: '0 2 * * *', enabled: true },
          { name: 'daily', cron: '0 3 * * *', enabled: true },
        ],
        retention: { daily: '0', weekly: '0', monthly: '0' },
      }),
    );
    expect(problems['destinations.0.path']).toEqual({ text: 'must be an absolute path' });
    expect(problems['destinations.2.path']).toEqual({ text: 'listed twice' });
    expect(problems['schedules.1.name']).toEqual({ text: 'two schedules have this name' });
    expect(problems.retention).toMatchObject({ text: expect.stringContaining('keep at least one backup') });
  });

  it('trims what was typed before sending it', () => {
    const input = configOf(draft({ destinations: [{ path: ' /mnt/x ', label: ' X ', removable: true }], schedules: [{ name: ' n ', cron: ' 0 1 * * * ', enabled: false }] }));
    expect(input.destinations).toEqual([{ path: '/mnt/x', label: 'X', removable: true }]);
    expect(input.schedules).toEqual([{ name: 'n', cron: '0 1 * * *', enabled: false }]);
  });
});

describe('field problems from main', () => {
  it('takes the field a refused destination names', () => {
    const error = { code: 'VALIDATION' as const, message: 'The backup destination /x does not exist.', details: { path: 'destinations.1.path' } };
    expect(problemsFromError(error)).toEqual({ 'destinations.1.path': { text: error.message } });
  });

  it('takes the contract schema’s issues, without the request’s `config.` prefix', () => {
    const error = { code: 'VALIDATION' as const, message: 'Invalid request', details: { issues: [{ path: 'config.schedules.0.cron', message: 'hour: 25 is out of range' }] } };
    expect(problemsFromError(error)).toEqual({ 'schedules.0.cron': { text: 'hour: 25 is out of range' } });
  });

  it('finds none in other errors', () => {
    expect(problemsFromError({ code: 'STORAGE_IO', message: 'disk full' })).toEqual({});
    expect(problemsFromError(null)).toEqual({});
  });
});

const progress = (over: Partial<BackupProgressView> = {}): BackupProgressView => ({ destination: '/mnt/raid2/midc', phase: 'blobs', done: 10, total: 40, bytes: 1000, ...over });
const running: RunState = { ...IDLE_RUN, phase: 'running', destination: '/mnt/raid2/midc' };

describe('backup progress', () => {
  it('follows the events of its own destination', () => {
    expect(reduceProgress(running, progress()).progress).toEqual(progress());
  });

  it('ignores another destination, a late event and an earlier phase', () => {
    const at = reduceProgress(running, progress({ done: 20 }));
    expect(reduceProgress(at, progress({ destination: '/media/usb', done: 30 }))).toBe(at);
    expect(reduceProgress(at, progress({ done: 15 }))).toBe(at);
    expect(reduceProgress(at, progress({ phase: 'database', done: 1, total: 1 }))).toBe(at);
    expect(reduceProgress(at, progress({ phase: 'verifying', done: 0, total: 40 })).progress?.phase).toBe('verifying');
  });

  it('accepts the destination with or without a trailing slash', () => {
    expect(reduceProgress(running, progress({ destination: '/mnt/raid2/midc/' })).progress).not.toBeNull();
  });

  it('ignores events once the run is over', () => {
    const done: RunState = { ...running, phase: 'done' };
    expect(reduceProgress(done, progress())).toBe(done);
  });

  it('computes the bar from done and total of the phase', () => {
    expect(progressRatio(null)).toBe(0);
    expect(progressRatio(progress({ done: 10, total: 40 }))).toBe(0.25);
    expect(progressRatio(progress({ done: 0, total: 0 }))).toBe(0);
  });

  it('tells a cancelled run from a failed one', () => {
    expect(isCancelled({ code: 'CONFLICT', message: 'cancelled', details: { cancelled: true } })).toBe(true);
    expect(isCancelled({ code: 'CONFLICT', message: 'busy' })).toBe(false);
    expect(isCancelled({ code: 'STORAGE_IO', message: 'ENOSPC' })).toBe(false);
  });
});

const root = (path: string, over: Partial<RootHealthView> = {}): RootHealthView => ({
  path,
  status: 'ok',
  problems: [],
  present: true,
  writable: true,
  freeBytes: 10,
  totalBytes: 100,
  fsType: 'ext4',
  raid: null,
  ...over,
});

const health = (over: Partial<BackupHealthView> = {}): BackupHealthView => ({
  status: 'warning',
  reasons: [],
  limitHours: 24,
  newestVerified: { id: 'b1', path: '/mnt/raid2/midc/b1', createdAt: '2026-01-01T00:00:00Z', verifiedAt: '2026-01-01T00:01:00Z', ageHours: 30 },
  lastRun: { at: '2026-01-01T00:01:00Z', ok: false, destination: '/media/usb', error: 'ENOSPC' },
  lastDrill: null,
  destinations: [
    { path: '/mnt/raid2', label: '', removable: false, detectedRemovable: null, root: root('/mnt/raid2'), backups: 1, newestAt: null },
    { path: '/mnt/raid2/midc', label: '', removable: false, detectedRemovable: null, root: root('/mnt/raid2/midc', { status: 'warning', problems: ['only 5% free'] }), backups: 1, newestAt: null },
  ],
  storage: root('/ws/storage', { status: 'error', problems: ['not writable'] }),
  integrity: null,
  nextChecks: { integrity: null, verify: null },
  ...over,
});

const age = (h: number) => `${h}h`;

describe('health reasons', () => {
  it('translate by key with values from the view, not from the English sentence', () => {
    const h = health();
    expect(translateReason({ level: 'warning', key: 'verifiedBackupOld', message: '…' }, h, age)).toEqual({ key: 'backup.reasons.verifiedBackupOld', params: { age: '30h', limit: 24 } });
    expect(translateReason({ level: 'critical', key: 'storageRoot', message: '…' }, h, age)).toEqual({ key: 'backup.reasons.storageRoot', params: { problems: 'not writable' } });
    expect(translateReason({ level: 'warning', key: 'lastRunFailed', message: '…' }, h, age)).toEqual({ key: 'backup.reasons.lastRunFailed', params: { destination: '/media/usb', error: 'ENOSPC' } });
    expect(translateReason({ level: 'critical', key: 'noVerifiedBackup', message: '…' }, h, age)).toEqual({ key: 'backup.reasons.noVerifiedBackup', params: {} });
  });

  it('find the destination a per-destination reason is about (the longest matching path)', () => {
    const r = translateReason({ level: 'warning', key: 'destinationRoot', message: '/mnt/raid2/midc: only 5% free' }, health(), age);
    expect(r).toEqual({ key: 'backup.reasons.destinationRoot', params: { path: '/mnt/raid2/midc', problems: 'only 5% free' } });
  });

  it('say what the scheduled integrity check found, and how long ago the last one ran', () => {
    const integrity = { at: '2026-01-04T04:00:00.000Z', ok: false, problems: ['row 2 missing from index t_a', 'row 3 missing from index t_a'], durationMs: 120 };
    expect(translateReason({ level: 'critical', key: 'integrityCheckFailed', message: '…' }, health({ integrity }), age)).toEqual({
      key: 'backup.reasons.integrityCheckFailed',
      params: { at: '2026-01-04T04:00:00.000Z', problems: 'row 2 missing from index t_a; row 3 missing from index t_a' },
    });
    expect(translateReason({ level: 'critical', key: 'integrityCheckFailed', message: 'Main says.' }, health(), age)).toEqual({ text: 'Main says.' });
    const old = 'The last full integrity check of the workspace database was more than 15 days ago.';
    expect(translateReason({ level: 'warning', key: 'integrityCheckOld', message: old }, health(), age)).toEqual({ key: 'backup.reasons.integrityCheckOld', params: { days: 15 } });
  });

  it('say "none" or "only one" destination by the count', () => {
    expect(translateReason({ level: 'warning', key: 'fewDestinations', message: '' }, health({ destinations: [] }), age)).toMatchObject({ key: 'backup.reasons.noDestinations' });
    expect(translateReason({ level: 'warning', key: 'fewDestinations', message: '' }, health(), age)).toMatchObject({ key: 'backup.reasons.fewDestinations' });
  });

  it('keep main’s sentence for a key they do not know', () => {
    expect(translateReason({ level: 'warning', key: 'somethingNew', message: 'Something new.' }, health(), age)).toEqual({ text: 'Something new.' });
    expect(translateReason({ level: 'warning', key: 'destinationMissing', message: '/elsewhere is missing' }, health(), age)).toEqual({ text: '/elsewhere is missing' });
  });
});

describe('figures', () => {
  it('formats sizes in binary steps', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.00 GB');
    expect(formatBytes(null)).toBe('');
  });

  it('formats durations and ages with the unit as a message key', () => {
    expect(durationText(2350)).toEqual({ key: 'backup.units.seconds', params: { value: '2.35' } });
    expect(durationText(184_000)).toEqual({ key: 'backup.units.minutes', params: { minutes: 3, seconds: 4 } });
    expect(ageText(5)).toEqual({ key: 'backup.units.hours', value: '5.0' });
    expect(ageText(72)).toEqual({ key: 'backup.units.days', value: '3.0' });
  });
});
