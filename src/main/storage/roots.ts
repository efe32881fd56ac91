import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isNetworkFs, mountFor, parseMountInfo } from '../db/filesystem';
import { formatBytes } from './format-bytes';

/**
 * Health of a storage or backup root (DESIGN §5): is it there, can we write to it, how full
 * is it, what filesystem holds it and, where Linux reports it, the state of the md RAID array
 * under it. The parsers and the verdict are pure functions; `checkRoot` gathers the facts.
 */

export type RootStatus = 'ok' | 'warning' | 'error';

/** A root with less free space than this fraction of its volume gets a warning. */
export const LOW_FREE_RATIO = 0.1;

export interface MdMember {
  readonly device: string;
  readonly slot: number;
  /** (F): the kernel failed this device out of the array. */
  readonly faulty: boolean;
  /** (S): a spare, not holding data yet. */
  readonly spare: boolean;
}

export interface MdSync {
  /** What the array is doing: rebuilding a member (recovery), resync after an unclean stop, ... */
  readonly action: 'resync' | 'recovery' | 'reshape' | 'check' | 'repair';
  /** Percent done, or null while it waits (`resync=DELAYED`, `resync=PENDING`). */
  readonly progress: number | null;
  readonly finishMinutes: number | null;
  readonly pending: 'DELAYED' | 'PENDING' | null;
}

export interface MdArray {
  /** `md0`, `md127`, ... */
  readonly name: string;
  readonly active: boolean;
  readonly readOnly: boolean;
  /** `raid1`, `raid5`, `raid10`, `linear`, ...; null for an inactive array. */
  readonly level: string | null;
  readonly members: readonly MdMember[];
  /** From `[n/m]`: devices the array should have and devices in use; null for raid0/linear. */
  readonly raidDisks: number | null;
  readonly workingDisks: number | null;
  /** `UU_`: one letter per slot, `_` for a missing or failed one. */
  readonly mask: string | null;
  readonly degraded: boolean;
  readonly sync: MdSync | null;
}

const ARRAY_HEAD = /^(md[\w/.-]*)\s*:\s*(.*)$/;
const MEMBER = /^([^\s[]+)\[(\d+)\]((?:\([A-Z]\))*)$/;
const STATUS = /\[(\d+)\/(\d+)\]\s+\[([U_]+)\]/;
const SYNC = /\b(resync|recovery|reshape|check|repair)\s*=\s*([\d.]+)%(?:.*?finish=([\d.]+)min)?/;
const SYNC_WAIT = /\b(resync|recovery|reshape|check|repair)\s*=\s*(DELAYED|PENDING)\b/;

/** Parses the text of `/proc/mdstat` (drivers/md/md.c `md_seq_show`). */
export function parseMdstat(text: string): MdArray[] {
  const arrays: MdArray[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = ARRAY_HEAD.exec(lines[i] as string);
    if (!head) continue;
    const name = head[1] as string;
    const tokens = (head[2] as string).trim().split(/\s+/);
    const active = tokens[0] === 'active';
    let t = 1;
    let readOnly = false;
    while (tokens[t]?.startsWith('(')) {
      if (/read-only/.test(tokens[t] as string)) readOnly = true;
      t++;
    }
    let level: string | null = null;
    if (active && tokens[t] && !MEMBER.test(tokens[t] as string)) level = tokens[t++] as string;
    const members: MdMember[] = [];
    for (; t < tokens.length; t++) {
      const m = MEMBER.exec(tokens[t] as string);
      if (!m) continue;
      const flags = m[3] ?? '';
      members.push({ device: m[1] as string, slot: Number(m[2]), faulty: flags.includes('(F)'), spare: flags.includes('(S)') });
    }
    // The array's detail lines are indented and end at a blank line or the next header.
    const body: string[] = [];
    while (i + 1 < lines.length && /^\s+\S/.test(lines[i + 1] as string)) body.push(lines[++i] as string);
    const detail = body.join('\n');
    const status = STATUS.exec(detail);
    const raidDisks = status ? Number(status[1]) : null;
    const workingDisks = status ? Number(status[2]) : null;
    const mask = status ? (status[3] as string) : null;
    let sync: MdSync | null = null;
    const running = SYNC.exec(detail);
    const waiting = SYNC_WAIT.exec(detail);
    if (running) {
      sync = {
        action: running[1] as MdSync['action'],
        progress: Number(running[2]),
        finishMinutes: running[3] ? Number(running[3]) : null,
        pending: null,
      };
    } else if (waiting) {
      sync = { action: waiting[1] as MdSync['action'], progress: null, finishMinutes: null, pending: waiting[2] as 'DELAYED' | 'PENDING' };
    }
    const degraded =
      (raidDisks !== null && workingDisks !== null && workingDisks < raidDisks) ||
      (mask !== null && mask.includes('_')) ||
      members.some((m) => m.faulty);
    arrays.push({ name, active, readOnly, level, members, raidDisks, workingDisks, mask, degraded, sync });
  }
  return arrays;
}

export interface DeviceLookup {
  /** Resolves symlinks such as `/dev/md/data` → `/dev/md127` or `/dev/mapper/vg-lv` → `/dev/dm-0`. */
  readonly realpath?: (p: string) => string;
  /** Block devices under a device-mapper device (`/sys/class/block/dm-0/slaves`). */
  readonly slavesOf?: (device: string) => string[];
}

/**
 * The md array that holds a mount source: `/dev/md0`, a partition `/dev/md0p1`, a named array
 * `/dev/md/data`, or an LVM/dm volume whose slave is an md device.
 */
export function mdArrayForSource(source: string, arrays: readonly MdArray[], lookup: DeviceLookup = {}): MdArray | null {
  const realpath = lookup.realpath ?? defaultRealpath;
  const slavesOf = lookup.slavesOf ?? defaultSlavesOf;
  const byName = (dev: string) => {
    const m = /^(md\d+|md_[\w-]+)(p\d+)?$/.exec(dev);
    return m ? (arrays.find((a) => a.name === m[1]) ?? null) : null;
  };
  if (!source.startsWith('/dev/')) return null;
  const dev = path.basename(realpath(source));
  const direct = byName(dev);
  if (direct) return direct;
  if (/^dm-\d+$/.test(dev)) {
    for (const slave of slavesOf(dev)) {
      const found = byName(slave);
      if (found) return found;
    }
  }
  return null;
}

function defaultRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function defaultSlavesOf(device: string): string[] {
  try {
    return fs.readdirSync(`/sys/class/block/${device}/slaves`);
  } catch {
    return [];
  }
}

export interface RootFacts {
  readonly path: string;
  readonly present: boolean;
  readonly writable: boolean;
  /** Why it is not writable (EROFS, EACCES, ...), when it is not. */
  readonly writeError: string | null;
  readonly freeBytes: number | null;
  readonly totalBytes: number | null;
  readonly fsType: string | null;
  readonly mountSource: string | null;
  readonly raid: MdArray | null;
}

export interface RootHealth extends RootFacts {
  readonly status: RootStatus;
  /** One sentence per reason the status is not ok. */
  readonly problems: string[];
}

/** The verdict on a root: error when we must not write there, warning when ops should act. */
export function assessRoot(facts: RootFacts): RootHealth {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!facts.present) errors.push(`${facts.path} is missing (is the volume mounted?)`);
  else {
    if (facts.fsType !== null && isNetworkFs(facts.fsType)) {
      errors.push(`${facts.path} is on a network filesystem (${facts.fsType}); use a local RAID-backed volume`);
    }
    if (!facts.writable) errors.push(`${facts.path} is not writable (${facts.writeError ?? 'unknown reason'})`);
    const raid = facts.raid;
    if (raid) {
      if (!raid.active) warnings.push(`RAID array ${raid.name} is inactive`);
      if (raid.degraded) {
        const rebuild = raid.sync?.progress != null ? `, ${raid.sync.action} ${raid.sync.progress}% done` : '';
        warnings.push(`RAID array ${raid.name} (${raid.level ?? 'unknown level'}) is degraded [${raid.mask ?? '?'}]${rebuild}`);
      }
    }
    if (facts.freeBytes !== null && facts.totalBytes) {
      const ratio = facts.freeBytes / facts.totalBytes;
      if (ratio < LOW_FREE_RATIO) {
        warnings.push(`${facts.path} has only ${(ratio * 100).toFixed(1)}% free (${formatBytes(facts.freeBytes)})`);
      }
    }
  }
  const status: RootStatus = errors.length ? 'error' : warnings.length ? 'warning' : 'ok';
  return { ...facts, status, problems: [...errors, ...warnings] };
}

export interface CheckRootOptions extends DeviceLookup {
  /** Text of /proc/self/mountinfo; null where the OS has none. */
  readonly mountInfo?: string | null;
  /** Text of /proc/mdstat; null where there is none (no md driver, not Linux). */
  readonly mdstat?: string | null;
  readonly statfs?: (p: string) => { bsize: number; blocks: number; bavail: number };
}

/** Gathers the facts about a root (touching it only with a probe file) and assesses them. */
export function checkRoot(rootPath: string, options: CheckRootOptions = {}): RootHealth {
  const root = path.resolve(rootPath);
  const base: RootFacts = {
    path: root,
    present: false,
    writable: false,
    writeError: null,
    freeBytes: null,
    totalBytes: null,
    fsType: null,
    mountSource: null,
    raid: null,
  };
  let present: boolean;
  try {
    present = fs.statSync(root).isDirectory();
  } catch {
    present = false;
  }
  if (!present) return assessRoot(base);

  const probe = probeWritable(root);
  let freeBytes: number | null = null;
  let totalBytes: number | null = null;
  try {
    const s = (options.statfs ?? fs.statfsSync)(root);
    freeBytes = Number(s.bavail) * Number(s.bsize);
    totalBytes = Number(s.blocks) * Number(s.bsize);
  } catch {
    // Not reported on this platform: no space verdict.
  }
  const mountInfo = options.mountInfo === undefined ? readText('/proc/self/mountinfo') : options.mountInfo;
  const mount = mountInfo === null ? undefined : mountFor(fs.realpathSync(root), parseMountInfo(mountInfo));
  const mdstat = options.mdstat === undefined ? readText('/proc/mdstat') : options.mdstat;
  const raid = mount && mdstat !== null ? mdArrayForSource(mount.source, parseMdstat(mdstat), options) : null;
  return assessRoot({
    ...base,
    present: true,
    writable: probe === null,
    writeError: probe,
    freeBytes,
    totalBytes,
    fsType: mount?.fsType ?? null,
    mountSource: mount?.source ?? null,
    raid,
  });
}

/** Creates and removes a probe file; returns null when that worked, else the errno. */
function probeWritable(root: string): string | null {
  const probe = path.join(root, `.midc-probe-${crypto.randomBytes(6).toString('hex')}`);
  try {
    const fd = fs.openSync(probe, 'wx');
    fs.closeSync(fd);
    fs.unlinkSync(probe);
    return null;
  } catch (err) {
    try {
      fs.rmSync(probe, { force: true });
    } catch {
      // Nothing more to do: the root is not writable.
    }
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
