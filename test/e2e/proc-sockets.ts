/**
 * Reads /proc to answer "which network sockets does this process tree own?" (RELIABILITY
 * target 9) without `ss` or `lsof`: walk the ppid links down from a pid, collect the socket
 * inodes behind each process's file descriptors, and look them up in /proc/net/{tcp,udp}{,6}.
 * Linux only. Processes may exit while we read: every per-process read tolerates that.
 */
import fs from 'node:fs';

export interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
}

export interface NetSocket {
  readonly proto: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  readonly local: string;
  readonly remote: string;
  /** Hex state from the kernel: 0A is TCP LISTEN, 01 ESTABLISHED, 07 UDP unconnected. */
  readonly state: string;
  readonly inode: number;
}

export const TCP_LISTEN = '0A';

/** Parses /proc/<pid>/stat; comm is in parentheses and may itself hold spaces and parens. */
export function parseStat(text: string): ProcEntry | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const ppid = Number(rest[1]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid)) return null;
  return { pid, ppid, comm: text.slice(open + 1, close) };
}

/** Parses one /proc/net/{tcp,udp}{,6} table (header line first). */
export function parseNetTable(proto: NetSocket['proto'], text: string): NetSocket[] {
  const sockets: NetSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    sockets.push({ proto, local: f[1]!, remote: f[2]!, state: f[3]!, inode: Number(f[9]) });
  }
  return sockets;
}

/** The socket inode of an fd link target (`socket:[12345]`), or null for anything else. */
export function socketInode(linkTarget: string): number | null {
  const m = /^socket:\[(\d+)\]$/.exec(linkTarget);
  return m ? Number(m[1]) : null;
}

/** `root` and all its descendants, from a snapshot of every process's stat line. */
export function descendants(root: number, entries: readonly ProcEntry[]): ProcEntry[] {
  const children = new Map<number, ProcEntry[]>();
  for (const e of entries) children.set(e.ppid, [...(children.get(e.ppid) ?? []), e]);
  const self = entries.find((e) => e.pid === root);
  const result: ProcEntry[] = self ? [self] : [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      result.push(child);
      queue.push(child.pid);
    }
  }
  return result;
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export function processTree(root: number = process.pid): ProcEntry[] {
  const entries: ProcEntry[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOrNull(`/proc/${name}/stat`);
    const entry = stat === null ? null : parseStat(stat);
    if (entry) entries.push(entry);
  }
  return descendants(root, entries);
}

/** NUL-separated argv of a process; empty when it has exited. */
export function cmdline(pid: number): string[] {
  return (readOrNull(`/proc/${pid}/cmdline`) ?? '').split('\0').filter((a) => a !== '');
}

export function socketInodesOf(pid: number): number[] {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: number[] = [];
  for (const fd of fds) {
    try {
      const inode = socketInode(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (inode !== null) inodes.push(inode);
    } catch {
      // fd closed between readdir and readlink
    }
  }
  return inodes;
}

export interface OwnedSocket extends NetSocket {
  readonly pid: number;
  readonly comm: string;
}

/**
 * Every TCP/UDP socket (IPv4 and IPv6) held by a process of the tree. Unix-domain sockets
 * (Chromium's internal IPC, Playwright's pipe) are not in these tables and are not counted.
 */
export function inetSocketsOfTree(root: number = process.pid): OwnedSocket[] {
  const owners = new Map<number, ProcEntry>();
  for (const p of processTree(root)) for (const inode of socketInodesOf(p.pid)) owners.set(inode, p);
  const owned: OwnedSocket[] = [];
  for (const proto of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    for (const s of parseNetTable(proto, readOrNull(`/proc/net/${proto}`) ?? '')) {
      const owner = owners.get(s.inode);
      if (owner && s.inode !== 0) owned.push({ ...s, pid: owner.pid, comm: owner.comm });
    }
  }
  return owned;
}
