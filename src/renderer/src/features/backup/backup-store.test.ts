import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { BackupConfigView, BackupListView, BackupProgressView, BackupRunView, BackupStatusView } from '../../../../shared/contract';
import type { Result } from '../../../../shared/errors';
import { useErrorStore } from '../../core/error-store';
import { err, installFakeApi, ok } from '../../test-support/fake-api';
import { draftOf } from './backup-model';
import { useBackupStore } from './backup-store';
import { BACKUP_COMMANDS, contextOf } from './commands';

type Fn = Mock<(request: unknown) => Promise<Result<unknown>>>;
type Listener = (p: BackupProgressView) => void;

const DEST = '/mnt/raid2/midc';
const CONFIG: BackupConfigView = {
  config: {
    destinations: [{ path: DEST, label: 'RAID 2', removable: false }],
    schedules: [{ name: 'daily', cron: '0 2 * * *', enabled: true }],
    retention: { daily: 7, weekly: 4, monthly: 12 },
    healthLimitHours: 24,
    verifySample: 200,
    checks: { integrity: { cron: '0 4 * * 0', enabled: true }, verify: { cron: '0 5 * * *', enabled: true } },
  },
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const STATUS: BackupStatusView = { running: null, queued: [], nextRuns: [{ schedule: 'daily', at: '2026-01-02T02:00:00.000Z' }] };
const LIST: BackupListView = { destination: DEST, present: true, backups: [] };
const RUN: BackupRunView = {
  id: 'midc-backup-20260101T000000Z-abcdef',
  path: `${DEST}/midc-backup-20260101T000000Z-abcdef`,
  destination: DEST,
  files: 31,
  bytes: 4096,
  linked: 0,
  copied: 30,
  durationMs: 1200,
  warnings: [],
  verification: { ok: true, mode: 'sample', problems: 0 },
  pruned: [],
};

function installBackupApi() {
  const fake = installFakeApi();
  const fn = (value: unknown = null): Fn => vi.fn(async () => ok(value));
  const backup = {
    config: fn(CONFIG),
    setConfig: fn(CONFIG),
    runNow: fn(RUN),
    cancel: fn({ cancelled: 1 }),
    status: fn(STATUS),
    list: fn(LIST),
    verify: fn(),
    health: fn({ status: 'critical', reasons: [] }),
    restoreDrill: fn(),
  };
  const listeners = new Set<Listener>();
  const api = fake.api as unknown as Record<string, unknown> & { events: Record<string, unknown> };
  api.backup = backup;
  api.events.onBackupProgress = vi.fn((l: Listener) => {
    listeners.add(l);
    return () => listeners.delete(l);
  });
  return { backup, listeners, emit: (p: BackupProgressView) => listeners.forEach((l) => l(p)) };
}

let fake: ReturnType<typeof installBackupApi>;

beforeEach(() => {
  fake = installBackupApi();
  useBackupStore.getState().clear();
  useErrorStore.getState().clear();
});

describe('the backup store', () => {
  it('loads settings, health, status and the first destination’s history', async () => {
    await useBackupStore.getState().loadAll();
    const s = useBackupStore.getState();
    expect(s.config).toEqual(CONFIG);
    expect(s.status).toEqual(STATUS);
    expect(s.destination).toBe(DEST);
    expect(s.lists[DEST]).toEqual(LIST);
    expect(fake.backup.list).toHaveBeenCalledWith({ destination: DEST });
  });

  it('refuses an invalid form without asking main, naming the fields', async () => {
    await useBackupStore.getState().loadConfig();
    const draft = { ...draftOf(CONFIG.config), schedules: [{ name: 'daily', cron: 'every night', enabled: true }] };
    const outcome = await useBackupStore.getState().saveConfig(draft);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && Object.keys(outcome.fields)).toEqual(['schedules.0.cron']);
    expect(fake.backup.setConfig).not.toHaveBeenCalled();
  });

  it('shows main’s refusal of a destination beside its field, not as a toast', async () => {
    const message = 'The backup destination /nope does not exist.';
    fake.backup.setConfig.mockResolvedValueOnce({ ok: false, error: { code: 'VALIDATION', message, details: { path: 'destinations.0.path' } } });
    const draft = { ...draftOf(CONFIG.config), destinations: [{ path: '/nope', label: '', removable: false }] };
    const outcome = await useBackupStore.getState().saveConfig(draft);
    expect(outcome).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION' }), fields: { 'destinations.0.path': { text: message } } });
    expect(useErrorStore.getState().errors).toEqual([]);
  });

  it('saves, then reloads the next runs and the health', async () => {
    const outcome = await useBackupStore.getState().saveConfig(draftOf(CONFIG.config));
    expect(outcome).toEqual({ ok: true });
    expect(fake.backup.setConfig).toHaveBeenCalledWith({ config: CONFIG.config });
    expect(fake.backup.status).toHaveBeenCalled();
    expect(fake.backup.health).toHaveBeenCalled();
    expect(useBackupStore.getState().destination).toBe(DEST);
  });

  it('runs a backup with live progress, selects the new backup and refreshes its history', async () => {
    await useBackupStore.getState().loadAll();
    let answer!: (r: Result<unknown>) => void;
    fake.backup.runNow.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const run = useBackupStore.getState().runNow();
    expect(useBackupStore.getState().run.phase).toBe('running');
    fake.emit({ destination: DEST, phase: 'blobs', done: 5, total: 30, bytes: 100 });
    expect(useBackupStore.getState().run.progress).toMatchObject({ phase: 'blobs', done: 5 });
    expect(contextOf(useBackupStore.getState())).toMatchObject({ running: true });
    const row = { id: RUN.id, path: RUN.path, readable: true, problem: null, createdAt: 'x', completedAt: 'y', durationMs: 1, files: 31, bytes: 4096, schemaVersion: 1, verifiedAt: 'y', verifiedOk: true, verifyMode: 'sample' };
    fake.backup.list.mockResolvedValue(ok({ ...LIST, backups: [row] }));
    answer(ok(RUN));
    await run;
    const s = useBackupStore.getState();
    expect(s.run).toMatchObject({ phase: 'done', result: RUN });
    expect(s.selected).toBe(RUN.path);
    expect(fake.listeners.size).toBe(0);
    expect(fake.backup.list).toHaveBeenLastCalledWith({ destination: DEST });
    expect(s.lists[DEST]?.backups.map((b) => b.id)).toEqual([RUN.id]);
  });

  it('drops a selection that is no longer listed (pruned by retention)', async () => {
    await useBackupStore.getState().loadAll();
    useBackupStore.getState().selectBackup(`${DEST}/gone`);
    await useBackupStore.getState().loadList();
    expect(useBackupStore.getState().selected).toBeNull();
  });

  it('cancels a running backup; the run ends as cancelled, not as an error toast', async () => {
    await useBackupStore.getState().loadAll();
    let answer!: (r: Result<unknown>) => void;
    fake.backup.runNow.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const run = useBackupStore.getState().runNow();
    await useBackupStore.getState().cancel();
    expect(useBackupStore.getState().run.cancelling).toBe(true);
    answer({ ok: false, error: { code: 'CONFLICT', message: 'cancelled; nothing was kept.', details: { cancelled: true } } });
    await run;
    expect(useBackupStore.getState().run).toMatchObject({ phase: 'failed', cancelling: false, error: { code: 'CONFLICT' } });
    expect(useErrorStore.getState().errors).toEqual([]);
  });

  it('verifies the selected backup and keeps the answer with its path', async () => {
    await useBackupStore.getState().loadAll();
    useBackupStore.getState().selectBackup(RUN.path);
    fake.backup.verify.mockResolvedValueOnce(ok({ ok: true, problems: [], files: 31, bytes: 4096, verifiedAt: 'x', quarantined: [] }));
    await useBackupStore.getState().verifySelected();
    expect(fake.backup.verify).toHaveBeenCalledWith({ path: RUN.path });
    expect(useBackupStore.getState().verify).toMatchObject({ busy: false, path: RUN.path, result: { ok: true } });
  });

  it('keeps a failed drill’s error beside the drill', async () => {
    fake.backup.restoreDrill.mockResolvedValueOnce(err('NOT_FOUND', 'There is no backup to restore.'));
    await useBackupStore.getState().restoreDrill();
    expect(useBackupStore.getState().drill).toMatchObject({ busy: false, result: null, error: { code: 'NOT_FOUND' } });
  });

  it('drops an answer that arrives after the session was cleared', async () => {
    let answer!: (r: Result<unknown>) => void;
    fake.backup.health.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const load = useBackupStore.getState().loadHealth();
    useBackupStore.getState().clear();
    answer(ok({ status: 'healthy', reasons: [] }));
    await load;
    expect(useBackupStore.getState().health).toBeNull();
  });
});

describe('the backup commands', () => {
  const ctx = (over = {}) => ({ destination: DEST, running: false, cancelling: false, selected: null, verifying: false, drilling: false, hasDestinations: true, checkingIntegrity: false, ...over });
  const enabled = (id: string, c = ctx()) => BACKUP_COMMANDS.find((x) => x.id === id)?.enabled(c);

  it('run only with a destination and nothing running; cancel only while running', () => {
    expect(enabled('backup.runNow')).toBe(true);
    expect(enabled('backup.runNow', ctx({ destination: null }))).toBe(false);
    expect(enabled('backup.runNow', ctx({ running: true }))).toBe(false);
    expect(enabled('backup.cancel')).toBe(false);
    expect(enabled('backup.cancel', ctx({ running: true }))).toBe(true);
    expect(enabled('backup.cancel', ctx({ running: true, cancelling: true }))).toBe(false);
  });

  it('verify needs a selected backup; the drill needs a destination and no drill running', () => {
    expect(enabled('backup.verify')).toBe(false);
    expect(enabled('backup.verify', ctx({ selected: '/x' }))).toBe(true);
    expect(enabled('backup.drill')).toBe(true);
    expect(enabled('backup.drill', ctx({ drilling: true }))).toBe(false);
    expect(enabled('backup.drill', ctx({ hasDestinations: false }))).toBe(false);
  });

  it('the integrity check needs no destination, only that none is running', () => {
    expect(enabled('backup.checkIntegrity', ctx({ hasDestinations: false }))).toBe(true);
    expect(enabled('backup.checkIntegrity', ctx({ checkingIntegrity: true }))).toBe(false);
  });
});
