import {
  backupConfigSchema,
  type BackupConfig,
  type BackupConfigInput,
  type BackupHealthReason,
  type BackupHealthView,
  type BackupPhase,
  type BackupProgressView,
  type BackupRunView,
} from '../../../../shared/contract';
import { cronProblem } from '../../../../shared/cron';
import type { ErrorData } from '../../../../shared/errors';

/**
 * The backup feature's pure logic (no React, no window.api): the settings form's draft and its
 * validation, the run's progress, and how a health reason becomes a translated sentence.
 */

// --- Settings draft ---------------------------------------------------------------------------

export interface DestinationDraft {
  readonly path: string;
  readonly label: string;
  readonly removable: boolean;
}

export interface ScheduleDraft {
  readonly name: string;
  readonly cron: string;
  readonly enabled: boolean;
}

/** What the form holds: numbers as typed, so that "1a" can be shown and refused, not lost. */
export interface ConfigDraft {
  readonly destinations: readonly DestinationDraft[];
  readonly schedules: readonly ScheduleDraft[];
  readonly retention: { readonly daily: string; readonly weekly: string; readonly monthly: string };
  readonly healthLimitHours: string;
  /** Not edited in the form; kept as it was saved. */
  readonly verifySample: number;
  /** The schedules of the integrity check and of the backup verification (edited as cron text). */
  readonly checks: { readonly integrity: ScheduleDraft; readonly verify: ScheduleDraft };
}

export function draftOf(config: BackupConfig): ConfigDraft {
  return {
    destinations: config.destinations.map((d) => ({ path: d.path, label: d.label, removable: d.removable })),
    schedules: config.schedules.map((s) => ({ name: s.name, cron: s.cron, enabled: s.enabled })),
    retention: { daily: String(config.retention.daily), weekly: String(config.retention.weekly), monthly: String(config.retention.monthly) },
    healthLimitHours: String(config.healthLimitHours),
    verifySample: config.verifySample,
    checks: {
      integrity: { name: 'integrity', cron: config.checks.integrity.cron, enabled: config.checks.integrity.enabled },
      verify: { name: 'verify', cron: config.checks.verify.cron, enabled: config.checks.verify.enabled },
    },
  };
}

const INTEGER = /^\s*\d+\s*$/;
const toInteger = (text: string): number => (INTEGER.test(text) ? Number(text.trim()) : Number.NaN);

export function configOf(draft: ConfigDraft): BackupConfigInput {
  return {
    destinations: draft.destinations.map((d) => ({ path: d.path.trim(), label: d.label.trim(), removable: d.removable })),
    schedules: draft.schedules.map((s) => ({ name: s.name.trim(), cron: s.cron.trim(), enabled: s.enabled })),
    retention: { daily: toInteger(draft.retention.daily), weekly: toInteger(draft.retention.weekly), monthly: toInteger(draft.retention.monthly) },
    healthLimitHours: toInteger(draft.healthLimitHours),
    verifySample: draft.verifySample,
    checks: {
      integrity: { cron: draft.checks.integrity.cron.trim(), enabled: draft.checks.integrity.enabled },
      verify: { cron: draft.checks.verify.cron.trim(), enabled: draft.checks.verify.enabled },
    },
  };
}

/**
 * A problem shown beside a field: a message key of ours (translated), or a sentence from the
 * shared schema or main, shown as it is.
 */
export type FieldProblem = { readonly key: string; readonly params?: Readonly<Record<string, string | number>> } | { readonly text: string };

/** Problems by field path, as main names them: `schedules.0.cron`, `destinations.1.path`, `retention`. */
export type FieldProblems = Readonly<Record<string, FieldProblem>>;

const NUMBER_FIELDS = ['retention.daily', 'retention.weekly', 'retention.monthly', 'healthLimitHours'] as const;

/**
 * The form's problems now, from the same schema main applies (so the form refuses what main
 * would refuse, and says where). The first problem of each field wins.
 */
export function validateDraft(draft: ConfigDraft): FieldProblems {
  const problems: Record<string, FieldProblem> = {};
  const put = (path: string, p: FieldProblem) => {
    if (!(path in problems)) problems[path] = p;
  };
  const numbers: Record<(typeof NUMBER_FIELDS)[number], string> = {
    'retention.daily': draft.retention.daily,
    'retention.weekly': draft.retention.weekly,
    'retention.monthly': draft.retention.monthly,
    healthLimitHours: draft.healthLimitHours,
  };
  for (const field of NUMBER_FIELDS) if (!INTEGER.test(numbers[field])) put(field, { key: 'backup.settings.notInteger' });
  // The cron sentence is wrapped in our own words; the schema's issue for it says the same.
  draft.schedules.forEach((s, i) => {
    const problem = cronProblem(s.cron.trim());
    if (problem) put(`schedules.${i}.cron`, { key: 'backup.settings.cronInvalid', params: { problem } });
  });
  const parsed = backupConfigSchema.safeParse(configOf(draft));
  if (!parsed.success) for (const issue of parsed.error.issues) put(issue.path.map(String).join('.'), { text: issue.message });
  return problems;
}

/**
 * Field problems in an error from main: a refused destination names its field in
 * `details.path`; a request the contract's schema refused lists `details.issues` (paths under
 * the request's `config`).
 */
export function problemsFromError(error: ErrorData | null): FieldProblems {
  if (!error || error.code !== 'VALIDATION' || typeof error.details !== 'object' || error.details === null) return {};
  const details = error.details as { path?: unknown; issues?: unknown };
  const problems: Record<string, FieldProblem> = {};
  if (typeof details.path === 'string') problems[details.path] = { text: error.message };
  if (Array.isArray(details.issues)) {
    for (const issue of details.issues as { path?: unknown; message?: unknown }[]) {
      if (typeof issue?.path !== 'string' || typeof issue.message !== 'string') continue;
      const path = issue.path.replace(/^config\.?/, '');
      if (!(path in problems)) problems[path] = { text: issue.message };
    }
  }
  return problems;
}

export const EMPTY_DESTINATION: DestinationDraft = { path: '', label: '', removable: false };
export const NEW_SCHEDULE: ScheduleDraft = { name: '', cron: '0 2 * * *', enabled: true };

// --- A run and its progress -------------------------------------------------------------------

export type RunPhase = 'idle' | 'running' | 'done' | 'failed';

export interface RunState {
  readonly phase: RunPhase;
  readonly destination: string | null;
  readonly progress: BackupProgressView | null;
  readonly result: BackupRunView | null;
  readonly error: ErrorData | null;
  readonly cancelling: boolean;
}

export const IDLE_RUN: RunState = { phase: 'idle', destination: null, progress: null, result: null, error: null, cancelling: false };

/** The order a backup goes through its phases; progress never moves back to an earlier one. */
export const PHASES: readonly BackupPhase[] = ['queued', 'database', 'blobs', 'finishing', 'verifying', 'pruning'];

const sameFolder = (a: string, b: string) => a.replace(/[\\/]+$/, '') === b.replace(/[\\/]+$/, '');

/**
 * Folds one `backup:progress` event into our run. Events of another destination (a scheduled
 * run started by another window is not sent here, but be safe) and late or reordered ones
 * (an earlier phase, or fewer done in the same phase) are ignored.
 */
export function reduceProgress(run: RunState, p: BackupProgressView): RunState {
  if (run.phase !== 'running') return run;
  if (run.destination !== null && !sameFolder(run.destination, p.destination)) return run;
  const before = run.progress;
  if (before) {
    const order = PHASES.indexOf(p.phase) - PHASES.indexOf(before.phase);
    if (order < 0 || (order === 0 && p.done < before.done)) return run;
  }
  return { ...run, progress: p };
}

/** Share of the current phase done, 0..1. */
export function progressRatio(p: BackupProgressView | null): number {
  if (!p || p.total <= 0) return 0;
  return Math.min(1, p.done / p.total);
}

/** A cancelled run comes back as CONFLICT with `details.cancelled`. */
export function isCancelled(error: ErrorData | null): boolean {
  return error?.code === 'CONFLICT' && typeof error.details === 'object' && error.details !== null && (error.details as { cancelled?: unknown }).cancelled === true;
}

// --- Health reasons -------------------------------------------------------------------------

/** The reason keys main sends (src/main/backup/policy.ts) that have a sentence of ours. */
export const REASON_KEYS = [
  'noVerifiedBackup',
  'verifiedBackupTooOld',
  'verifiedBackupOld',
  'storageRoot',
  'lastRunFailed',
  'fewDestinations',
  'sameDevice',
  'noRemovable',
  'destinationOnWorkspaceDevice',
  'destinationMissing',
  'destinationRoot',
  'noDrill',
  'drillOld',
  'drillFailed',
  'integrityCheckFailed',
  'integrityCheckOld',
] as const;

export type TranslatedReason = { readonly key: string; readonly params: Readonly<Record<string, string | number>> } | { readonly text: string };

/** Age in hours as the UI says it (the same cut as main: days from 48 h on). */
export type AgeText = { readonly key: 'backup.units.hours' | 'backup.units.days'; readonly value: string };

export function ageText(hours: number): AgeText {
  return hours >= 48 ? { key: 'backup.units.days', value: (hours / 24).toFixed(1) } : { key: 'backup.units.hours', value: hours.toFixed(1) };
}

/**
 * A reason as a message key with its values, taken from the health view itself (the sentence
 * of main is English); a reason we do not know, or whose values we cannot find, keeps main's
 * sentence. `age` is filled by the caller (it needs the unit translated).
 */
export function translateReason(reason: BackupHealthReason, health: BackupHealthView, age: (hours: number) => string): TranslatedReason {
  const fallback = { text: reason.message };
  const k = (key: string, params: Record<string, string | number> = {}) => ({ key: `backup.reasons.${key}`, params });
  const destinationIn = (message: string) =>
    [...health.destinations].sort((a, b) => b.path.length - a.path.length).find((d) => message.startsWith(d.path));
  switch (reason.key) {
    case 'noVerifiedBackup':
    case 'sameDevice':
    case 'noRemovable':
    case 'noDrill':
    case 'drillFailed':
      return k(reason.key);
    case 'verifiedBackupTooOld':
    case 'verifiedBackupOld':
      return health.newestVerified ? k(reason.key, { age: age(health.newestVerified.ageHours), limit: health.limitHours }) : fallback;
    case 'storageRoot':
      return k('storageRoot', { problems: health.storage.problems.join('; ') });
    case 'lastRunFailed':
      return health.lastRun ? k('lastRunFailed', { destination: health.lastRun.destination, error: health.lastRun.error ?? '' }) : fallback;
    case 'fewDestinations':
      return k(health.destinations.length === 0 ? 'noDestinations' : 'fewDestinations');
    case 'destinationOnWorkspaceDevice':
    case 'destinationMissing': {
      const d = destinationIn(reason.message);
      return d ? k(reason.key, { path: d.path }) : fallback;
    }
    case 'destinationRoot': {
      const d = destinationIn(reason.message);
      return d ? k('destinationRoot', { path: d.path, problems: d.root.problems.join('; ') }) : fallback;
    }
    case 'drillOld':
    case 'integrityCheckOld': {
      const days = /(\d+) days/.exec(reason.message)?.[1];
      return days ? k(reason.key, { days: Number(days) }) : fallback;
    }
    case 'integrityCheckFailed':
      return health.integrity ? k('integrityCheckFailed', { at: health.integrity.at, problems: health.integrity.problems.slice(0, 3).join('; ') }) : fallback;
    default:
      return fallback;
  }
}

// --- Figures ------------------------------------------------------------------------------

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes in binary steps, as file managers show them: "1.5 GB". */
export function formatBytes(bytes: number | null | undefined, language = 'en'): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toLocaleString(language, { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${UNITS[unit]}`;
}

export type DurationText =
  | { readonly key: 'backup.units.seconds'; readonly params: { value: string } }
  | { readonly key: 'backup.units.minutes'; readonly params: { minutes: number; seconds: number } };

/** A duration as a message key: "2.35 s" below a minute, "3 min 4 s" above. */
export function durationText(ms: number): DurationText {
  if (ms < 60_000) return { key: 'backup.units.seconds', params: { value: (ms / 1000).toFixed(ms < 10_000 ? 2 : 1) } };
  const total = Math.round(ms / 1000);
  return { key: 'backup.units.minutes', params: { minutes: Math.floor(total / 60), seconds: total % 60 } };
}
