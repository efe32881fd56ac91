import fs from 'node:fs';
import path from 'node:path';
import type {
  BackupConfig,
  BackupDestinationHealth,
  BackupHealthReason,
  BackupHealthStatus,
  BackupHealthView,
  RootHealthView,
} from '../../shared/contract/backup';
import { AppError } from '../../shared/errors';
import { mountFor, parseMountInfo } from '../db/filesystem';

/**
 * Backup policy (RELIABILITY §3 and target 22): which destinations ops may configure, which
 * of them are removable, and the health verdict. The verdict is a pure function of the facts
 * (`assessBackupHealth`); gathering the facts is the service's job.
 */

// --- Destinations -----------------------------------------------------------------------

export interface DestinationCheck {
  readonly path: string;
  readonly present: boolean;
  /** Device number (stat.dev) when present: two destinations on one device are one copy. */
  readonly device: number | null;
}

/**
 * Checks the configured destinations against the filesystem; throws VALIDATION naming the
 * first destination that is refused:
 * - inside the workspace (a backup on the volume it protects, and `midc verify` would walk it);
 * - the workspace inside it would be fine in principle, but the same folder is refused;
 * - missing, unless it is removable media (a rotated disk is often not mounted);
 * - present but not a folder.
 */
export function validateDestinations(config: BackupConfig, workspaceRoot: string): DestinationCheck[] {
  const wsReal = realOrResolved(workspaceRoot);
  return config.destinations.map((d, i) => {
    const where = `destinations.${i}.path`;
    const resolved = path.resolve(d.path);
    let stat: fs.Stats | null = null;
    try {
      stat = fs.statSync(resolved);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new AppError('VALIDATION', `The backup destination ${d.path} cannot be opened (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { path: where });
      }
    }
    const real = stat ? realOrResolved(resolved) : resolved;
    if (real === wsReal || real.startsWith(`${wsReal}${path.sep}`)) {
      throw new AppError('VALIDATION', `The backup destination ${d.path} is inside the workspace ${workspaceRoot}; choose a folder on another volume.`, { path: where });
    }
    if (!stat) {
      if (d.removable) return { path: resolved, present: false, device: null };
      throw new AppError('VALIDATION', `The backup destination ${d.path} does not exist. Create the folder (on the backup volume) first, or mark it as removable media if it is only there when mounted.`, { path: where });
    }
    if (!stat.isDirectory()) throw new AppError('VALIDATION', `The backup destination ${d.path} is not a folder.`, { path: where });
    return { path: resolved, present: true, device: stat.dev };
  });
}

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

// --- Removable media ----------------------------------------------------------------------

export interface RemovableLookup {
  readonly mountInfo?: string | null;
  readonly realpath?: (p: string) => string;
  readonly readFile?: (p: string) => string | null;
}

/**
 * Whether the disk under `dir` is removable, as Linux reports it: the mount's source device
 * (`/dev/sdb1`), its whole disk (`sdb`), then `/sys/block/sdb/removable` = 1, or the disk
 * hanging off a USB bus (`/sys/block/sdb` resolves through `.../usb...`): many USB hard disks
 * report removable = 0 although they are exactly the rotated offline media of 3-2-1.
 * Returns null when the OS does not tell (not Linux, no block device: tmpfs, overlay...).
 *
 * This is only a hint shown beside ops' own `removable` flag: the flag decides, because
 * what matters is that the medium is taken offline, which no sysfs bit can know.
 */
export function detectRemovable(dir: string, lookup: RemovableLookup = {}): boolean | null {
  const readFile = lookup.readFile ?? readText;
  const realpath = lookup.realpath ?? ((p: string) => fs.realpathSync(p));
  const mountInfo = lookup.mountInfo === undefined ? readFile('/proc/self/mountinfo') : lookup.mountInfo;
  if (mountInfo === null) return null;
  let real: string;
  try {
    real = realpath(dir);
  } catch {
    return null;
  }
  const mount = mountFor(real, parseMountInfo(mountInfo));
  if (!mount || !mount.source.startsWith('/dev/')) return null;
  let device: string;
  try {
    device = path.basename(realpath(mount.source));
  } catch {
    device = path.basename(mount.source);
  }
  // A partition's sysfs folder sits inside its disk's: /sys/class/block/sdb1 -> .../block/sdb/sdb1.
  let sysDev: string;
  try {
    sysDev = realpath(`/sys/class/block/${device}`);
  } catch {
    return null;
  }
  const disk = readFile(`${sysDev}/partition`) !== null ? path.dirname(sysDev) : sysDev;
  const removable = readFile(`${disk}/removable`);
  if (removable === null) return null;
  return removable.trim() === '1' || /\/usb\d*\//.test(disk);
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

// --- Health -------------------------------------------------------------------------------

export interface HealthFacts {
  readonly now: Date;
  readonly config: BackupConfig;
  readonly destinations: readonly (Omit<BackupDestinationHealth, 'root'> & { root: RootHealthView; device: number | null })[];
  /** Newest backup (by creation time) with a passed verification, across all destinations. */
  readonly newestVerified: { id: string; path: string; createdAt: string; verifiedAt: string } | null;
  readonly lastRun: BackupHealthView['lastRun'];
  readonly lastDrill: BackupHealthView['lastDrill'];
  readonly storage: RootHealthView;
  readonly workspaceDevice: number | null;
  /** The last scheduled full integrity_check of the workspace database. */
  readonly integrity?: BackupHealthView['integrity'];
  readonly nextChecks?: BackupHealthView['nextChecks'];
}

/** A drill older than this is worth a warning (3-2-1: "periodic test restores"). */
export const DRILL_WARN_DAYS = 35;
/** A full integrity_check older than this (two weekly runs missed) is worth a warning. */
export const INTEGRITY_WARN_DAYS = 15;

/**
 * The verdict (RELIABILITY target 22). "healthy" only while the newest verified backup is
 * younger than the limit. The age counts from when the backup was TAKEN, not when it was
 * verified: it is the data that grows old (the recovery point).
 *
 * - critical: no verified backup at all; the newest verified backup older than twice the
 *   limit; the workspace storage root unusable;
 * - warning: newest verified older than the limit; the last run failed; fewer than two
 *   destinations, or two on the same device, or on the workspace's device; none removable;
 *   a destination's root missing (fixed) or unhealthy; no restore drill in DRILL_WARN_DAYS;
 *   the last full integrity_check older than INTEGRITY_WARN_DAYS.
 * - critical too: the last full integrity_check of the workspace database found problems.
 */
export function assessBackupHealth(facts: HealthFacts): BackupHealthView {
  const reasons: BackupHealthReason[] = [];
  const critical = (key: string, message: string) => reasons.push({ level: 'critical', key, message });
  const warning = (key: string, message: string) => reasons.push({ level: 'warning', key, message });
  const limit = facts.config.healthLimitHours;

  let newestVerified: BackupHealthView['newestVerified'] = null;
  if (!facts.newestVerified) {
    critical('noVerifiedBackup', 'There is no verified backup.');
  } else {
    const ageHours = (facts.now.getTime() - Date.parse(facts.newestVerified.createdAt)) / 3_600_000;
    newestVerified = { ...facts.newestVerified, ageHours: Math.round(ageHours * 10) / 10 };
    if (ageHours >= 2 * limit) {
      critical('verifiedBackupTooOld', `The newest verified backup is ${formatHours(ageHours)} old, more than twice the limit of ${limit} h.`);
    } else if (ageHours >= limit) {
      warning('verifiedBackupOld', `The newest verified backup is ${formatHours(ageHours)} old; the limit is ${limit} h.`);
    }
  }

  if (facts.storage.status === 'error') critical('storageRoot', `The workspace storage has a problem: ${facts.storage.problems.join('; ')}`);
  else if (facts.storage.status === 'warning') warning('storageRoot', `The workspace storage needs attention: ${facts.storage.problems.join('; ')}`);

  if (facts.lastRun && !facts.lastRun.ok) {
    warning('lastRunFailed', `The last backup into ${facts.lastRun.destination} failed: ${facts.lastRun.error ?? 'unknown error'}.`);
  }

  const dests = facts.destinations;
  if (dests.length < 2) {
    warning('fewDestinations', `${dests.length === 0 ? 'No backup destination is' : 'Only one backup destination is'} configured; keep at least two, on different devices (3-2-1).`);
  } else {
    const devices = dests.map((d) => d.device).filter((d): d is number => d !== null);
    if (new Set(devices).size < devices.length) warning('sameDevice', 'Two backup destinations are on the same device; they count as one copy.');
  }
  if (dests.length > 0 && !dests.some((d) => d.removable)) {
    warning('noRemovable', 'No destination is removable or offline media; keep one copy that is taken offline (3-2-1).');
  }
  for (const d of dests) {
    if (facts.workspaceDevice !== null && d.device === facts.workspaceDevice) {
      warning('destinationOnWorkspaceDevice', `${d.path} is on the same device as the workspace.`);
    }
    if (!d.root.present) {
      if (!d.removable) warning('destinationMissing', `${d.path} is missing (is the backup volume mounted?).`);
    } else if (d.root.status !== 'ok') {
      warning('destinationRoot', `${d.path}: ${d.root.problems.join('; ')}`);
    }
  }

  if (!facts.lastDrill) warning('noDrill', 'No restore drill has been run; run one to prove the backups restore.');
  else if (facts.now.getTime() - Date.parse(facts.lastDrill.at) > DRILL_WARN_DAYS * 86_400_000) {
    warning('drillOld', `The last restore drill was more than ${DRILL_WARN_DAYS} days ago.`);
  } else if (!facts.lastDrill.ok) warning('drillFailed', 'The last restore drill failed.');

  const integrity = facts.integrity ?? null;
  if (integrity && !integrity.ok) {
    critical('integrityCheckFailed', `The full integrity check of the workspace database on ${integrity.at} found problems: ${integrity.problems.slice(0, 3).join('; ')}. Restore from a verified backup or repair the database.`);
  } else if (integrity && facts.now.getTime() - Date.parse(integrity.at) > INTEGRITY_WARN_DAYS * 86_400_000) {
    warning('integrityCheckOld', `The last full integrity check of the workspace database was more than ${INTEGRITY_WARN_DAYS} days ago.`);
  }

  const status: BackupHealthStatus = reasons.some((r) => r.level === 'critical') ? 'critical' : reasons.length ? 'warning' : 'healthy';
  return {
    status,
    reasons,
    limitHours: limit,
    newestVerified,
    lastRun: facts.lastRun,
    lastDrill: facts.lastDrill,
    destinations: dests.map(({ device: _device, ...d }) => d),
    storage: facts.storage,
    integrity,
    nextChecks: facts.nextChecks ?? { integrity: null, verify: null },
  };
}

function formatHours(h: number): string {
  return h >= 48 ? `${(h / 24).toFixed(1)} days` : `${h.toFixed(1)} h`;
}
