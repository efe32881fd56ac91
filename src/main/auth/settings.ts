import type { AppSettings } from '../../shared/contract';
import type { ReadableDB, WritableDB } from '../db/types';

export const DEFAULT_SETTINGS: AppSettings = { idleMinutes: 10 };

/** Workspace-wide settings in the `settings` table, cached in memory (read on every IPC call). */
export class SettingsStore {
  private cache: AppSettings | null = null;

  constructor(private readonly db: ReadableDB) {}

  get(): AppSettings {
    if (this.cache) return this.cache;
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    const idle = stored.idleMinutes;
    this.cache = { idleMinutes: typeof idle === 'number' && idle > 0 ? idle : DEFAULT_SETTINGS.idleMinutes };
    return this.cache;
  }

  /** Call inside a write transaction. */
  set(db: WritableDB, settings: AppSettings): AppSettings {
    const upsert = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    for (const [key, value] of Object.entries(settings)) upsert.run(key, JSON.stringify(value));
    this.cache = null;
    return this.get();
  }
}
