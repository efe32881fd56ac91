import type { WritableDB } from '../../db/types';
import { newSecret } from './uid-map';

const KEY = 'deidentify.secret';

/**
 * The workspace's secret for UID replacement, created on first use and kept in `settings`
 * (JSON, like every setting). The same secret for every import keeps new UIDs consistent.
 */
export function deidentifySecret(db: WritableDB): string {
  return db
    .transaction(() => {
      const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
      if (row) return JSON.parse(row.value) as string;
      const secret = newSecret();
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(KEY, JSON.stringify(secret));
      return secret;
    })
    .immediate();
}
