import { backupConfigSchema, type BackupConfig } from '../../shared/contract/backup';
import type { ReadableDB, WritableDB } from '../db/types';

/**
 * Backup configuration and history, kept as JSON values in the `settings` table (no
 * migration of its own: the keys below are the whole schema). Each value is parsed
 * defensively: a damaged or older value falls back to its default instead of stopping the
 * app, and the next write replaces it.
 *
 * Keys:
 * - `backup.config`        {config, updatedAt}
 * - `backup.schedule`      {[schedule name]: ISO time it last fired}
 * - `backup.runs`          the last RUNS_KEPT runs, newest first
 * - `backup.verifications` {[backup path]: last verification}
 * - `backup.verifyCursor`  {[destination]: where the rotating blob sample starts next}
 * - `backup.drills`        the last DRILLS_KEPT restore drills, newest first
 * - `backup.checks`        {integrity?: ISO, verify?: ISO} when each scheduled check last fired
 * - `backup.integrity`     the last full integrity_check of the workspace database
 */
export const KEYS = {
  config: 'backup.config',
  schedule: 'backup.schedule',
  runs: 'backup.runs',
  verifications: 'backup.verifications',
  verifyCursor: 'backup.verifyCursor',
  drills: 'backup.drills',
  checks: 'backup.checks',
  integrity: 'backup.integrity',
} as const;

export const RUNS_KEPT = 100;
export const DRILLS_KEPT = 20;
/** Verification records of backups that no longer exist are dropped beyond this many. */
export const VERIFICATIONS_KEPT = 1000;

export const DEFAULT_BACKUP_CONFIG: BackupConfig = {
  destinations: [],
  schedules: [
    { name: 'daily', cron: '0 2 * * *', enabled: true },
    { name: 'weekly', cron: '0 3 * * 0', enabled: true },
  ],
  retention: { daily: 7, weekly: 4, monthly: 12 },
  healthLimitHours: 24,
  verifySample: 200,
  checks: {
    integrity: { cron: '0 4 * * 0', enabled: true },
    verify: { cron: '0 5 * * *', enabled: true },
  },
};

export interface StoredConfig {
  readonly config: BackupConfig;
  readonly updatedAt: string | null;
}

export interface RunRecord {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly destination: string;
  readonly trigger: 'manual' | 'schedule';
  readonly schedule: string | null;
  readonly ok: boolean;
  readonly id: string | null;
  readonly files: number | null;
  readonly bytes: number | null;
  readonly durationMs: number;
  readonly error: string | null;
}

export interface VerificationRecord {
  readonly at: string;
  readonly ok: boolean;
  readonly mode: 'full' | 'sample';
  readonly problems: number;
  readonly id: string | null;
}

export interface DrillRecord {
  readonly at: string;
  readonly ok: boolean;
  readonly backup: string;
  readonly durationMs: number;
  readonly problems: number;
}

function read(db: ReadableDB, key: string): unknown {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  if (!row) return undefined;
  try {
    return JSON.parse(row.value) as unknown;
  } catch {
    return undefined;
  }
}

function write(db: WritableDB, key: string, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readConfig(db: ReadableDB): StoredConfig {
  const raw = read(db, KEYS.config);
  if (isObject(raw)) {
    const parsed = backupConfigSchema.safeParse(raw.config);
    if (parsed.success) return { config: parsed.data, updatedAt: typeof raw.updatedAt === 'string' ? raw.updatedAt : null };
  }
  return { config: DEFAULT_BACKUP_CONFIG, updatedAt: null };
}

export function writeConfig(db: WritableDB, config: BackupConfig, at: Date): StoredConfig {
  const stored = { config, updatedAt: at.toISOString() };
  write(db, KEYS.config, stored);
  return stored;
}

export function readScheduleState(db: ReadableDB): Record<string, string> {
  const raw = read(db, KEYS.schedule);
  if (!isObject(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string' && !Number.isNaN(Date.parse(e[1]))));
}

export function markFired(db: WritableDB, names: readonly string[], at: Date): void {
  const state = readScheduleState(db);
  for (const name of names) state[name] = at.toISOString();
  write(db, KEYS.schedule, state);
}

export function readRuns(db: ReadableDB): RunRecord[] {
  const raw = read(db, KEYS.runs);
  return Array.isArray(raw) ? (raw.filter(isObject) as unknown as RunRecord[]) : [];
}

export function appendRun(db: WritableDB, run: RunRecord): void {
  write(db, KEYS.runs, [run, ...readRuns(db)].slice(0, RUNS_KEPT));
}

export function readVerifications(db: ReadableDB): Record<string, VerificationRecord> {
  const raw = read(db, KEYS.verifications);
  if (!isObject(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter((e) => isObject(e[1]) && typeof e[1].at === 'string')) as Record<string, VerificationRecord>;
}

export function recordVerification(db: WritableDB, backupPath: string, record: VerificationRecord): void {
  const all = readVerifications(db);
  delete all[backupPath];
  // Newest last; when over the cap, the oldest records go first.
  const entries = [...Object.entries(all), [backupPath, record] as const].slice(-VERIFICATIONS_KEPT);
  write(db, KEYS.verifications, Object.fromEntries(entries));
}

export function forgetVerifications(db: WritableDB, backupPaths: readonly string[]): void {
  if (!backupPaths.length) return;
  const all = readVerifications(db);
  for (const p of backupPaths) delete all[p];
  write(db, KEYS.verifications, all);
}

export function readVerifyCursor(db: ReadableDB, destination: string): number {
  const raw = read(db, KEYS.verifyCursor);
  const v = isObject(raw) ? raw[destination] : undefined;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}

export function writeVerifyCursor(db: WritableDB, destination: string, cursor: number): void {
  const raw = read(db, KEYS.verifyCursor);
  write(db, KEYS.verifyCursor, { ...(isObject(raw) ? raw : {}), [destination]: cursor });
}

export function readDrills(db: ReadableDB): DrillRecord[] {
  const raw = read(db, KEYS.drills);
  return Array.isArray(raw) ? (raw.filter(isObject) as unknown as DrillRecord[]) : [];
}

export function appendDrill(db: WritableDB, drill: DrillRecord): void {
  write(db, KEYS.drills, [drill, ...readDrills(db)].slice(0, DRILLS_KEPT));
}

export function readChecksState(db: ReadableDB): Record<string, string> {
  const raw = read(db, KEYS.checks);
  return isObject(raw) ? (Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string')) as Record<string, string>) : {};
}

export function markChecksFired(db: WritableDB, names: readonly string[], at: Date): void {
  const state = readChecksState(db);
  for (const n of names) state[n] = at.toISOString();
  write(db, KEYS.checks, state);
}

export interface IntegrityRecord {
  readonly at: string;
  readonly ok: boolean;
  readonly problems: string[];
  readonly durationMs: number;
}

export function readIntegrity(db: ReadableDB): IntegrityRecord | null {
  const raw = read(db, KEYS.integrity);
  return isObject(raw) && typeof raw.at === 'string' && typeof raw.ok === 'boolean' && Array.isArray(raw.problems) && typeof raw.durationMs === 'number'
    ? { at: raw.at, ok: raw.ok, problems: raw.problems.map(String), durationMs: raw.durationMs }
    : null;
}

export function writeIntegrity(db: WritableDB, record: IntegrityRecord): void {
  write(db, KEYS.integrity, record);
}
