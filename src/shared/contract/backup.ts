import { z } from 'zod';
import { cronProblem } from '../cron';
import { channel, event } from './channel';
import { empty } from './common';

/**
 * Backups (DESIGN §5, issue 8): configuration, runs on demand and on schedule, history,
 * verification, health and restore drills. Ops runs them; an admin may read the health.
 *
 * Restoring over the live workspace is deliberately NOT offered here: a restore goes into an
 * empty workspace folder with `midc restore --backup PATH --workspace DIR` while the app is
 * closed, then the app is pointed at that folder. Through IPC only the drill exists, which
 * restores into a temporary folder, checks it and deletes it.
 */

/** An absolute path (POSIX, or a Windows drive path); `src/shared` has no `node:path`. */
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute path')
  .refine((p) => !p.includes('\0'), 'must not contain NUL');

export const backupDestinationSchema = z.strictObject({
  /** The backup root: a folder on another RAID volume, or the mount point of removable media. */
  path: absolutePath,
  label: z.string().max(100).default(''),
  /**
   * Removable or offline media (rotated USB disks, RDX...). A removable destination that is
   * not present is skipped by the scheduler, not reported as a failure. Ops states it; the
   * health check also reads /sys/block/<disk>/removable as a hint.
   */
  removable: z.boolean().default(false),
});

export const backupScheduleSchema = z.strictObject({
  /** Unique among the schedules; names the schedule in history and audit. */
  name: z.string().regex(/^[A-Za-z0-9 _.-]{1,40}$/, '1-40 letters, digits, space, _ . or -'),
  /** Five-field cron, local time: "0 2 * * *" = daily 02:00, "0 3 * * 0" = Sundays 03:00. */
  cron: z.string().max(200).superRefine((text, ctx) => {
    const problem = cronProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  enabled: z.boolean().default(true),
});

/** A check's schedule: a cron expression and whether it runs. */
export const maintenanceScheduleSchema = z.strictObject({
  cron: z.string().max(200).superRefine((text, ctx) => {
    const problem = cronProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  enabled: z.boolean().default(true),
});

export const backupRetentionSchema = z
  .strictObject({
    /** Keep the newest backup of each of the last N days that have one. */
    daily: z.number().int().min(0).max(366),
    /** ... of each of the last M weeks (ISO weeks, Monday first). */
    weekly: z.number().int().min(0).max(520),
    /** ... of each of the last K calendar months. */
    monthly: z.number().int().min(0).max(1200),
  })
  .refine((r) => r.daily + r.weekly + r.monthly >= 1, 'keep at least one backup (daily + weekly + monthly ≥ 1)');

export const backupConfigSchema = z
  .strictObject({
    destinations: z.array(backupDestinationSchema).max(10),
    schedules: z.array(backupScheduleSchema).max(20),
    retention: backupRetentionSchema,
    /** Health is "healthy" only while the newest verified backup is younger than this. */
    healthLimitHours: z.number().int().min(1).max(24 * 90).default(24),
    /** Blobs re-hashed when a new backup is verified after a run (0 = all of them). */
    verifySample: z.number().int().min(0).max(1_000_000).default(200),
    /**
     * Checks on their own schedule (five-field cron, local time), independent of backups:
     * `integrity`: a full `PRAGMA integrity_check` of the workspace database (the start-up
     * check is only quick_check); `verify`: the newest backup of every present destination
     * re-hashed against its manifest, a rotating sample of `verifySample` blobs each time.
     */
    checks: z
      .strictObject({
        integrity: maintenanceScheduleSchema.default({ cron: '0 4 * * 0', enabled: true }),
        verify: maintenanceScheduleSchema.default({ cron: '0 5 * * *', enabled: true }),
      })
      .default({ integrity: { cron: '0 4 * * 0', enabled: true }, verify: { cron: '0 5 * * *', enabled: true } }),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.destinations.forEach((d, i) => {
      const key = d.path.replace(/[\\/]+$/, '');
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['destinations', i, 'path'], message: 'listed twice' });
      seen.add(key);
    });
    const names = new Set<string>();
    c.schedules.forEach((s, i) => {
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: ['schedules', i, 'name'], message: 'two schedules have this name' });
      names.add(s.name);
    });
  });

export type BackupConfigInput = z.input<typeof backupConfigSchema>;
export type BackupConfig = z.output<typeof backupConfigSchema>;
export type BackupDestination = BackupConfig['destinations'][number];
export type BackupSchedule = BackupConfig['schedules'][number];
export type BackupRetention = BackupConfig['retention'];

export interface BackupConfigView {
  readonly config: BackupConfig;
  /** When ops last saved it; null while the defaults apply (nothing configured yet). */
  readonly updatedAt: string | null;
}

export type BackupPhase = 'queued' | 'database' | 'blobs' | 'finishing' | 'verifying' | 'pruning';

/** `onBackupProgress`: sent to the window that asked for the run. */
export interface BackupProgressView {
  readonly destination: string;
  readonly phase: BackupPhase;
  readonly done: number;
  readonly total: number;
  readonly bytes: number;
}

export interface BackupRunView {
  readonly id: string;
  readonly path: string;
  readonly destination: string;
  readonly files: number;
  readonly bytes: number;
  /** Blobs already in the backup root's pool (referenced by an earlier backup), not copied again. */
  readonly linked: number;
  /** Blobs copied into the pool by this run. */
  readonly copied: number;
  readonly durationMs: number;
  readonly warnings: string[];
  /** The check made right after the run (database fully, a sample of blobs re-hashed). */
  readonly verification: { ok: boolean; mode: 'full' | 'sample'; problems: number };
  /** Backups deleted by the retention policy after this one succeeded. */
  readonly pruned: string[];
}

export interface BackupJobView {
  readonly destination: string;
  readonly trigger: 'manual' | 'schedule';
  readonly schedule: string | null;
  readonly startedAt: string | null;
  readonly progress: BackupProgressView | null;
}

export interface BackupStatusView {
  readonly running: BackupJobView | null;
  readonly queued: BackupJobView[];
  /** Next time each enabled schedule fires (ISO), for the settings screen. */
  readonly nextRuns: { schedule: string; at: string | null }[];
}

/** One row of the history grid. */
export interface BackupRow {
  readonly id: string;
  readonly path: string;
  readonly readable: boolean;
  readonly problem: string | null;
  readonly createdAt: string | null;
  readonly completedAt: string | null;
  readonly durationMs: number | null;
  readonly files: number | null;
  readonly bytes: number | null;
  readonly schemaVersion: number | null;
  /** Last verification of this backup (after its run, by ops, or on schedule). */
  readonly verifiedAt: string | null;
  readonly verifiedOk: boolean | null;
  readonly verifyMode: 'full' | 'sample' | null;
}

export interface BackupListView {
  readonly destination: string;
  readonly present: boolean;
  readonly backups: BackupRow[];
}

export interface BackupVerifyView {
  readonly ok: boolean;
  readonly problems: { path: string | null; problem: string }[];
  readonly files: number;
  readonly bytes: number;
  readonly verifiedAt: string;
  /** Damaged pool blobs moved aside (`damaged/<sha256>` in the backup root): the next backup copies them again. */
  readonly quarantined: string[];
}

/** The health of a storage or backup root (free space, writable, md RAID state). */
export interface RootHealthView {
  readonly path: string;
  readonly status: 'ok' | 'warning' | 'error';
  readonly problems: string[];
  readonly present: boolean;
  readonly writable: boolean;
  readonly freeBytes: number | null;
  readonly totalBytes: number | null;
  readonly fsType: string | null;
  readonly raid: { readonly name: string; readonly level: string | null; readonly degraded: boolean; readonly mask: string | null } | null;
}

export type BackupHealthStatus = 'healthy' | 'warning' | 'critical';

export interface BackupHealthReason {
  readonly level: 'warning' | 'critical';
  /** Stable key for the UI's translation; `message` is the English sentence. */
  readonly key: string;
  readonly message: string;
}

export interface BackupDestinationHealth {
  readonly path: string;
  readonly label: string;
  readonly removable: boolean;
  /** What /sys/block says about the disk under it: true, false, or null when unknown. */
  readonly detectedRemovable: boolean | null;
  readonly root: RootHealthView;
  readonly backups: number;
  readonly newestAt: string | null;
}

export interface BackupHealthView {
  readonly status: BackupHealthStatus;
  readonly reasons: BackupHealthReason[];
  readonly limitHours: number;
  readonly newestVerified: { id: string; path: string; createdAt: string; verifiedAt: string; ageHours: number } | null;
  readonly lastRun: { at: string; ok: boolean; destination: string; error: string | null } | null;
  readonly lastDrill: { at: string; ok: boolean; durationMs: number } | null;
  readonly destinations: BackupDestinationHealth[];
  /** The workspace's own storage root. */
  readonly storage: RootHealthView;
  /** The last scheduled full `PRAGMA integrity_check` of the workspace database (null: none yet). */
  readonly integrity: IntegrityCheckView | null;
  /** When the checks next run (ISO; null when disabled). */
  readonly nextChecks: { integrity: string | null; verify: string | null };
}

export interface IntegrityCheckView {
  readonly at: string;
  readonly ok: boolean;
  /** integrity_check's own lines (first 20) when it did not say "ok". */
  readonly problems: string[];
  readonly durationMs: number;
}

export interface RestoreDrillView {
  readonly ok: boolean;
  readonly backup: string;
  readonly id: string;
  readonly files: number;
  readonly bytes: number;
  /** Restore + verification wall time: the recovery time objective measured (target 21). */
  readonly durationMs: number;
  readonly tables: Record<string, number>;
  readonly auditHead: string | null;
  readonly auditEntries: number;
  readonly blobs: number;
  readonly problems: string[];
  readonly at: string;
}

const destinationRequest = z.strictObject({ destination: absolutePath });

export const backupChannels = {
  'backup:config': channel<BackupConfigView>()({ request: empty, access: ['ops'], mutates: false }),
  /** Validated here and again in main (destinations must exist and lie outside the workspace). */
  'backup:setConfig': channel<BackupConfigView>()({
    request: z.strictObject({ config: backupConfigSchema }),
    access: ['ops'],
    mutates: true,
  }),
  /**
   * A backup into one configured destination now, queued behind any running one; resolves
   * when it is done. Progress arrives as `onBackupProgress`. Retention is applied afterwards.
   */
  'backup:runNow': channel<BackupRunView>()({ request: destinationRequest, access: ['ops'], mutates: true }),
  /** Cancels the running backup and empties the queue; a cancelled run leaves no backup. */
  'backup:cancel': channel<{ cancelled: number }>()({ request: empty, access: ['ops'], mutates: true }),
  'backup:status': channel<BackupStatusView>()({ request: empty, access: ['ops'], mutates: false }),
  /** The backups in a configured destination, newest first, with their verification. */
  'backup:list': channel<BackupListView>()({ request: destinationRequest, access: ['ops'], mutates: false }),
  /** Re-hashes a whole backup (of a configured destination) and records when it was verified. */
  'backup:verify': channel<BackupVerifyView>()({
    request: z.strictObject({ path: absolutePath }),
    access: ['ops'],
    mutates: true,
  }),
  'backup:health': channel<BackupHealthView>()({ request: empty, access: ['ops', 'admin'], mutates: false }),
  /**
   * The full `PRAGMA integrity_check` of the workspace database now (it also runs on the
   * schedule of `checks.integrity`); recorded for the health view. Runs off the main thread.
   */
  'backup:checkIntegrity': channel<IntegrityCheckView>()({ request: empty, access: ['ops'], mutates: true }),
  /**
   * Restores the newest backup into a temporary folder, verifies it as `midc verify` does,
   * compares row counts and audit-chain head with its manifest, deletes the folder and
   * returns the figures with the time it took. Never touches the live workspace.
   */
  'backup:restoreDrill': channel<RestoreDrillView>()({ request: empty, access: ['ops'], mutates: true }),
} as const;

export const backupEvents = {
  'backup:progress': event<BackupProgressView>(),
} as const;
