/**
 * SQLite's WAL mode does not work over network filesystems (sqlite.org/wal.html), so the
 * database must live on a local block device (RELIABILITY 0.4). This reads
 * /proc/self/mountinfo and finds the filesystem type that holds a path.
 */
import fs from 'node:fs';

const NETWORK_FS = /^(nfs4?|cifs|smb3?|smbfs|9p|ceph|glusterfs|afs|lustre|fuse(\..*)?|fuseblk|sshfs|davfs)$/;

export interface MountEntry {
  readonly mountPoint: string;
  readonly fsType: string;
  readonly source: string;
}

/** Parses mountinfo lines: `id parent major:minor root mountpoint opts [optional...] - fstype source superopts`. */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fields = left.split(' ');
    const mountPoint = fields[4];
    const [fsType, source] = right.split(' ');
    if (!mountPoint || !fsType) continue;
    entries.push({ mountPoint: unescapeOctal(mountPoint), fsType, source: unescapeOctal(source ?? '') });
  }
  return entries;
}

function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** The mount holding `absPath`: the longest mount point that is a path prefix of it. */
export function mountFor(absPath: string, mounts: readonly MountEntry[]): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const prefix = m.mountPoint === '/' ? '/' : `${m.mountPoint}/`;
    if (absPath === m.mountPoint || absPath.startsWith(prefix)) {
      if (!best || m.mountPoint.length >= best.mountPoint.length) best = m;
    }
  }
  return best;
}

export function isNetworkFs(fsType: string): boolean {
  return NETWORK_FS.test(fsType);
}

/** Returns the filesystem type of `dir`, or null where the OS does not tell (not Linux). */
export function filesystemTypeOf(dir: string, mountInfo = readMountInfo()): string | null {
  if (mountInfo === null) return null;
  const real = fs.realpathSync(dir);
  return mountFor(real, parseMountInfo(mountInfo))?.fsType ?? null;
}

function readMountInfo(): string | null {
  try {
    return fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return null;
  }
}
