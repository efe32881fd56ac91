import crypto from 'node:crypto';

/**
 * A new UID for an original one: `2.25.` and the decimal of the first 128 bits of
 * HMAC-SHA256(workspace secret, original UID). The same original always maps to the same new
 * UID within a workspace (series structure and references are kept, a re-import is recognised
 * as a duplicate), while nobody without the secret can go back or confirm a guess.
 */
export function mapUid(secret: string, uid: string): string {
  const digest = crypto.createHmac('sha256', secret).update(uid, 'latin1').digest();
  return `2.25.${BigInt(`0x${digest.subarray(0, 16).toString('hex')}`).toString(10)}`;
}

/** DICOM-defined UIDs (SOP classes, transfer syntaxes, coding schemes) identify nobody. */
export function isStandardUid(uid: string): boolean {
  return uid.startsWith('1.2.840.10008.');
}

/** Replaces every value of a UI element (backslash-separated), keeping standard UIDs. */
export function mapUidValue(secret: string, value: string): string {
  return value
    .split('\\')
    .map((v) => v.replace(/[\0 ]+$/g, '').trim())
    .map((v) => (v === '' || isStandardUid(v) ? v : mapUid(secret, v)))
    .join('\\');
}

/** A fresh random secret for a workspace (hex, 256 bits). */
export function newSecret(): string {
  return crypto.randomBytes(32).toString('hex');
}
