import crypto from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../audit/canonical';

/**
 * The manifest of one backup folder: what a restore needs to trust it. Every data file with
 * its size and SHA-256, the database's row counts, schema version and audit-chain head (the
 * head is anchored outside the writer's reach here, RELIABILITY §4.3 and target 27), and a
 * checksum over the manifest itself so that a flipped byte in a count is caught too.
 */
export const MANIFEST_FILE = 'manifest.json';
export const DB_FILE = 'midc.sqlite';
export const BACKUP_PREFIX = 'midc-backup-';
export const MANIFEST_FORMAT = 'midc-backup';
export const MANIFEST_VERSION = 1;

/** The only paths a backup may hold: the database and content-addressed blobs. */
const FILE_PATH = /^(midc\.sqlite|storage\/blobs\/([0-9a-f]{2})\/([0-9a-f]{2})\/\2\3[0-9a-f]{60})$/;
const SHA = z.string().regex(/^[0-9a-f]{64}$/);

const fileSchema = z.strictObject({
  path: z.string().regex(FILE_PATH, 'not a path a backup may hold'),
  size: z.number().int().nonnegative(),
  sha256: SHA,
});

const manifestBody = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  formatVersion: z.literal(MANIFEST_VERSION),
  id: z.string().startsWith(BACKUP_PREFIX),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime(),
  appVersion: z.string(),
  schemaVersion: z.number().int().nonnegative(),
  source: z.strictObject({ workspace: z.string(), host: z.string() }),
  database: z.strictObject({
    path: z.literal(DB_FILE),
    integrity: z.literal('ok'),
    tables: z.record(z.string(), z.number().int().nonnegative()),
  }),
  audit: z.strictObject({
    entries: z.number().int().nonnegative(),
    head: SHA.nullable(),
    ok: z.boolean(),
    problems: z.array(z.string()),
  }),
  blobs: z.strictObject({
    count: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
    linked: z.number().int().nonnegative(),
    copied: z.number().int().nonnegative(),
    /** Workspace blobs left out: damaged (content ≠ name) or removed while the backup ran. */
    skipped: z.array(z.strictObject({ path: z.string(), reason: z.string() })),
  }),
  files: z.array(fileSchema),
  totals: z.strictObject({ files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
});

export type ManifestBody = z.infer<typeof manifestBody>;
export type BackupManifest = ManifestBody & { readonly checksum: string };
export type ManifestFile = z.infer<typeof fileSchema>;

export function manifestChecksum(body: ManifestBody): string {
  return crypto.createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function sealManifest(body: ManifestBody): BackupManifest {
  return { ...body, checksum: manifestChecksum(body) };
}

export function serializeManifest(manifest: BackupManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** Parses and checks a manifest; the error says what is wrong in one sentence. */
export function parseManifest(text: string): { ok: true; manifest: BackupManifest } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${MANIFEST_FILE} is not valid JSON (${(err as Error).message})` };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, error: `${MANIFEST_FILE} is not an object` };
  const { checksum, ...rest } = raw as Record<string, unknown>;
  const parsed = manifestBody.safeParse(rest);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, error: `${MANIFEST_FILE} is malformed at ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}` };
  }
  if (typeof checksum !== 'string' || checksum !== manifestChecksum(parsed.data)) {
    return { ok: false, error: `${MANIFEST_FILE} does not match its own checksum (edited or damaged)` };
  }
  return { ok: true, manifest: { ...parsed.data, checksum } };
}

/** `midc-backup-20261122T080000Z-1a2b3c`: UTC time to the second, then a short random part. */
export function backupId(date: Date, random = crypto.randomBytes(3).toString('hex')): string {
  const stamp = date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return `${BACKUP_PREFIX}${stamp}-${random}`;
}

export const BACKUP_NAME = /^midc-backup-\d{8}T\d{6}Z-[0-9a-f]{6}$/;
