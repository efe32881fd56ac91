import crypto from 'node:crypto';

/**
 * scrypt at OWASP's minimum (N=2^17, r=8, p=1; RELIABILITY §4.4). Node's default maxmem
 * (32 MiB) is below the 128·N·r = 128 MiB this needs, so it is raised. The parameters are
 * stored with every hash so that a later policy can rehash on login.
 */
export const SCRYPT_POLICY = { N: 2 ** 17, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;
const MAXMEM = 256 * 1024 * 1024;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_POLICY): Promise<string> {
  const salt = crypto.randomBytes(SCRYPT_POLICY.saltLength);
  const key = await scrypt(password, salt, SCRYPT_POLICY.keyLength, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** The stored hash is below the current policy: rehash after a successful login. */
  readonly needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string): Promise<VerifyResult> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return { ok: false, needsRehash: false };
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, params);
  const ok = actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
  const needsRehash = params.N < SCRYPT_POLICY.N || params.r < SCRYPT_POLICY.r;
  return { ok, needsRehash };
}

function scrypt(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(password.normalize('NFKC'), salt, keyLength, { ...params, maxmem: MAXMEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Proves at startup that the runtime's KDF works with our parameters (Electron links
 * BoringSSL, not OpenSSL: RELIABILITY 0.9). Throws if it does not.
 */
export async function selfTestKdf(): Promise<void> {
  const hash = await hashPassword('self-test');
  const good = await verifyPassword('self-test', hash);
  const bad = await verifyPassword('self-test!', hash);
  if (!good.ok || bad.ok) throw new Error('scrypt self-test failed: password hashing does not work in this runtime');
}
