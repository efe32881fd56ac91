import crypto from 'node:crypto';
import path from 'node:path';
import { canonicalJson } from '../audit/canonical';

/**
 * The manifest of one backup folder: what a restore needs to trust it. Every data file with
 * its size and SHA-256, the database's row counts, schema version and audit-chain head (the
 * head is anchored outside the writer's reach here, RELIABILITY §4.3 and target 27), and a
 * checksum over the manifest itself so that a flipped byte in a count is caught too.
 *
 * Format 2 (this version writes it): the folder holds only the database snapshot and this
 * manifest; each blob's bytes are in the pool shared by the backups of the backup root,
 * `<root>/blobs/<sha[0:2]>/<sha>` (keyed by hash only), and `files[].path` is where a restore
 * puts it in the workspace. Format 1 (still read): every file inside the backup folder.
 *
 * Checked by hand, not with zod: `midc backup run` reads a manifest on every run, and loading
 * zod costs more start-up time than the whole check (src/main/cli/loading.test.ts proves it
 * stays out of that command).
 */
export const MANIFEST_FILE = 'manifest.json';
export const DB_FILE = 'midc.sqlite';
export const BACKUP_PREFIX = 'midc-backup-';
export const MANIFEST_FORMAT = 'midc-backup';
export const MANIFEST_VERSION = 2;
/** The blob pool of a backup root (format 2). */
export const POOL_DIR = 'blobs';

/** Format 1: the database and blobs in the workspace's `ab/cd` layout, inside the folder. */
const FILE_PATH_V1 = /^(midc\.sqlite|storage\/blobs\/([0-9a-f]{2})\/([0-9a-f]{2})\/\2\3[0-9a-f]{60})$/;
/**
 * Format 2: the database, or a workspace blob path (`storage/blobs/` + up to four short folder
 * names + the hash): whatever folders the workspace uses, never `..` or an absolute path.
 */
const FILE_PATH_V2 = /^(midc\.sqlite|storage\/blobs\/(?:[0-9a-z_-]{1,16}\/){0,4}[0-9a-f]{64})$/;
const SHA = /^[0-9a-f]{64}$/;

export interface ManifestFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export interface ManifestBody {
  readonly format: typeof MANIFEST_FORMAT;
  readonly formatVersion: 1 | 2;
  readonly id: string;
  readonly createdAt: string;
  readonly completedAt: string;
  readonly appVersion: string;
  readonly schemaVersion: number;
  readonly source: { readonly workspace: string; readonly host: string };
  readonly database: { readonly path: typeof DB_FILE; readonly integrity: 'ok'; readonly tables: Record<string, number> };
  readonly audit: { readonly entries: number; readonly head: string | null; readonly ok: boolean; readonly problems: string[] };
  readonly blobs: {
    readonly count: number;
    readonly bytes: number;
    /** Format 1: blobs hard-linked from the previous backup. */
    readonly linked?: number;
    /** Format 2: blobs already in the pool, referenced without copying. */
    readonly reused?: number;
    readonly copied: number;
    /** Workspace blobs left out: damaged (content ≠ name) or removed while the backup ran. */
    readonly skipped: { path: string; reason: string }[];
  };
  readonly files: ManifestFile[];
  readonly totals: { readonly files: number; readonly bytes: number };
}

export type BackupManifest = ManifestBody & { readonly checksum: string };

/**
 * SHA-256 of the canonical JSON of the body (audit/canonical.ts). The file list, most of the
 * manifest (a thousand entries or more: `midc backup run` checks the newest manifest and seals
 * its own), is hashed as `plainFileList` gives it when it can, else entry by entry through a
 * writer that gives the same bytes as `canonicalJson` for three-key entries.
 */
export function manifestChecksum(body: ManifestBody, plainList: string | null = plainFileList(body.files, body.formatVersion)): string {
  const hash = crypto.createHash('sha256');
  const { files, ...rest } = body;
  const head = canonicalJson({ ...rest, files: [] });
  // Keys are sorted and strings escaped, so `"files":[]` occurs once: the top-level key.
  const at = head.indexOf('"files":[]');
  hash.update(head.slice(0, at + 8));
  if (plainList !== null) {
    hash.update(plainList);
  } else {
    // One update for the whole list: an update per entry cost more than building the string.
    const list = new Array<string>(files.length);
    for (let i = 0; i < files.length; i++) list[i] = fileJson(files[i] as ManifestFile);
    hash.update(`[${list.join(',')}]`);
  }
  hash.update(head.slice(at + 10));
  return hash.digest('hex');
}

/** Characters JSON.stringify leaves as they are inside a string. */
const PLAIN = /^[\w./-]*$/;

function fileJson(f: ManifestFile): string {
  if (Object.keys(f).length !== 3 || !Number.isSafeInteger(f.size)) return canonicalJson(f);
  const p = PLAIN.test(f.path) ? `"${f.path}"` : JSON.stringify(f.path);
  const h = PLAIN.test(f.sha256) ? `"${f.sha256}"` : JSON.stringify(f.sha256);
  return `{"path":${p},"sha256":${h},"size":${f.size}}`;
}

/**
 * One plain file entry as `JSON.stringify` writes it: exactly the keys path, sha256, size in
 * that (sorted) order, a path the format allows (its pattern, so no character needs escaping),
 * a SHA-256 hex digest and a whole size. Sticky, tried at each entry's offset.
 */
const plainEntry = (pathRe: RegExp): RegExp =>
  // pathRe is `^(...)$`: its group is the first group here too, so its back-references hold.
  new RegExp(`\\{"path":"${pathRe.source.slice(1, -1)}","sha256":"[0-9a-f]{64}","size":(?:0|[1-9][0-9]*)\\}`, 'y');
let plainEntries: { 1: RegExp; 2: RegExp } | null = null;
/**
 * The last list found plain, per format: a backup with nothing changed writes the list of the
 * manifest it read, and equal text needs no second check. Kept only up to 4 MiB of text (some
 * 20,000 entries), so that a long-lived process never holds a large list for it.
 */
const lastPlain: { 1: string | null; 2: string | null } = { 1: null, 2: null };
const LAST_PLAIN_MAX = 4 * 2 ** 20;

/**
 * The file list as canonical JSON from one native `JSON.stringify`, when every entry is plain
 * (see plainEntry): then those are exactly `canonicalJson`'s bytes, and every entry passes the
 * check of its fields. Null otherwise: the caller checks and hashes entry by entry, which names
 * what is wrong. Backups write their entries in this form.
 */
export function plainFileList(files: unknown, version: unknown): string | null {
  if (!Array.isArray(files) || (version !== 1 && version !== 2)) return null;
  const text = JSON.stringify(files);
  if (text === lastPlain[version]) return text;
  plainEntries ??= { 1: plainEntry(FILE_PATH_V1), 2: plainEntry(FILE_PATH_V2) };
  const entry = plainEntries[version];
  let at = 1;
  for (let i = 0; i < files.length; i++) {
    entry.lastIndex = at;
    if (!entry.test(text)) return null;
    at = entry.lastIndex;
    // `,` between entries, `]` after the last.
    if (text.charCodeAt(at) !== (i === files.length - 1 ? 93 : 44)) return null;
    at++;
  }
  if (at !== text.length && !(files.length === 0 && text === '[]')) return null;
  lastPlain[version] = text.length <= LAST_PLAIN_MAX ? text : null;
  return text;
}

export function sealManifest(body: ManifestBody): BackupManifest {
  return { ...body, checksum: manifestChecksum(body) };
}

export function serializeManifest(manifest: BackupManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** Where the bytes of a blob of a format-2 backup live: `<root>/blobs/<sha[0:2]>/<sha>`. */
export function poolPath(backupRoot: string, sha256: string): string {
  return path.join(backupRoot, POOL_DIR, sha256.slice(0, 2), sha256);
}

/**
 * Where the bytes of `file` of the backup at `backupPath` are: in the folder (format 1, and
 * the database of any format) or in the root's pool (format-2 blobs).
 */
export function fileLocation(backupPath: string, manifest: ManifestBody, file: ManifestFile): string {
  if (manifest.formatVersion === 1 || file.path === DB_FILE) return path.join(backupPath, file.path);
  return poolPath(path.dirname(backupPath), file.sha256);
}

/** Parses and checks a manifest; the error says what is wrong in one sentence. */
export function parseManifest(text: string): { ok: true; manifest: BackupManifest } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${MANIFEST_FILE} is not valid JSON (${(err as Error).message})` };
  }
  if (!isObject(raw)) return { ok: false, error: `${MANIFEST_FILE} is not an object` };
  const { checksum, ...rest } = raw;
  // Plain entries (what backups write) are checked and written out for the checksum at once.
  const plainList = plainFileList(rest.files, rest.formatVersion);
  const problem = checkBody(rest, plainList !== null);
  if (problem) return { ok: false, error: `${MANIFEST_FILE} is malformed at ${problem.at || '(root)'}: ${problem.message}` };
  const body = rest as unknown as ManifestBody;
  if (typeof checksum !== 'string' || checksum !== manifestChecksum(body, plainList)) {
    return { ok: false, error: `${MANIFEST_FILE} does not match its own checksum (edited or damaged)` };
  }
  return { ok: true, manifest: { ...body, checksum } };
}

/** `midc-backup-20261122T080000Z-1a2b3c`: UTC time to the second, then a short random part. */
export function backupId(date: Date, random = crypto.randomBytes(3).toString('hex')): string {
  const stamp = date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return `${BACKUP_PREFIX}${stamp}-${random}`;
}

export const BACKUP_NAME = /^midc-backup-\d{8}T\d{6}Z-[0-9a-f]{6}$/;

// --- the hand-written check ---------------------------------------------------------------

interface Problem {
  readonly at: string;
  readonly message: string;
}

/** One field's check: null when fine, else what is wrong (the path is added by the caller). */
type Check = (value: unknown, at: string) => Problem | null;

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const fail = (at: string, message: string): Problem => ({ at, message });
const join = (at: string, key: string | number): string => (at ? `${at}.${key}` : String(key));

const str: Check = (v, at) => (typeof v === 'string' ? null : fail(at, 'expected a string'));
const count: Check = (v, at) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? null : fail(at, 'expected a whole number ≥ 0'));
const bool: Check = (v, at) => (typeof v === 'boolean' ? null : fail(at, 'expected true or false'));
const sha: Check = (v, at) => (typeof v === 'string' && SHA.test(v) ? null : fail(at, 'expected a SHA-256 hex digest'));
const literal =
  (want: unknown): Check =>
  (v, at) =>
    v === want ? null : fail(at, `expected ${JSON.stringify(want)}`);
const matching =
  (re: RegExp, message: string): Check =>
  (v, at) =>
    typeof v === 'string' && re.test(v) ? null : fail(at, message);
const nullable =
  (check: Check): Check =>
  (v, at) =>
    v === null ? null : check(v, at);
const arrayOf =
  (check: Check): Check =>
  (v, at) => {
    if (!Array.isArray(v)) return fail(at, 'expected an array');
    for (let i = 0; i < v.length; i++) {
      const p = check(v[i], join(at, i));
      if (p) return p;
    }
    return null;
  };
const recordOf =
  (check: Check): Check =>
  (v, at) => {
    if (!isObject(v)) return fail(at, 'expected an object');
    for (const [k, x] of Object.entries(v)) {
      const p = check(x, join(at, k));
      if (p) return p;
    }
    return null;
  };
/** An object with exactly these keys (none missing, none unknown). */
const strict =
  (shape: Record<string, Check>): Check =>
  (v, at) => {
    if (!isObject(v)) return fail(at, 'expected an object');
    for (const [k, check] of Object.entries(shape)) {
      if (!(k in v)) return fail(join(at, k), 'missing');
      const p = check(v[k], join(at, k));
      if (p) return p;
    }
    for (const k of Object.keys(v)) if (!(k in shape)) return fail(at, `unknown key "${k}"`);
    return null;
  };

/**
 * The file list: a thousand entries or more, checked on every `midc backup run`, so each entry
 * is first tried with plain tests; only a failing one goes through the general check, which
 * names what is wrong.
 */
const fileList =
  (pathRe: RegExp): Check =>
  (v, at) => {
    if (!Array.isArray(v)) return fail(at, 'expected an array');
    const entry = strict({ path: matching(pathRe, 'not a path a backup may hold'), size: count, sha256: sha });
    for (let i = 0; i < v.length; i++) {
      const f = v[i] as { path?: unknown; size?: unknown; sha256?: unknown } | null;
      const plain =
        f !== null &&
        typeof f === 'object' &&
        typeof f.path === 'string' &&
        typeof f.sha256 === 'string' &&
        typeof f.size === 'number' &&
        Number.isInteger(f.size) &&
        f.size >= 0 &&
        pathRe.test(f.path) &&
        SHA.test(f.sha256) &&
        Object.keys(f).length === 3;
      if (!plain) {
        const p = entry(f, join(at, i));
        if (p) return p;
      }
    }
    return null;
  };

function bodyShape(version: 1 | 2): Record<string, Check> {
  return {
    format: literal(MANIFEST_FORMAT),
    formatVersion: literal(version),
    id: matching(/^midc-backup-/, `expected a name starting with "${BACKUP_PREFIX}"`),
    createdAt: matching(ISO_DATETIME, 'expected an ISO date-time'),
    completedAt: matching(ISO_DATETIME, 'expected an ISO date-time'),
    appVersion: str,
    schemaVersion: count,
    source: strict({ workspace: str, host: str }),
    database: strict({ path: literal(DB_FILE), integrity: literal('ok'), tables: recordOf(count) }),
    audit: strict({ entries: count, head: nullable(sha), ok: bool, problems: arrayOf(str) }),
    blobs: strict({
      count,
      bytes: count,
      ...(version === 1 ? { linked: count } : { reused: count }),
      copied: count,
      skipped: arrayOf(strict({ path: str, reason: str })),
    }),
    files: fileList(version === 1 ? FILE_PATH_V1 : FILE_PATH_V2),
    totals: strict({ files: count, bytes: count }),
  };
}
const SHAPES = { 1: strict(bodyShape(1)), 2: strict(bodyShape(2)) } as const;
/** The same, for a body whose file list plainFileList has already checked. */
const checked: Check = () => null;
const SHAPES_PLAIN_FILES = { 1: strict({ ...bodyShape(1), files: checked }), 2: strict({ ...bodyShape(2), files: checked }) } as const;

function checkBody(body: Record<string, unknown>, filesChecked: boolean): Problem | null {
  const version = body.formatVersion;
  if (version !== 1 && version !== 2) {
    return fail('formatVersion', `expected 1 or 2 (this MIDC reads backup formats 1 and 2, the manifest says ${JSON.stringify(version)})`);
  }
  return (filesChecked ? SHAPES_PLAIN_FILES : SHAPES)[version](body, '');
}
