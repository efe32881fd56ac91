import type Database from 'better-sqlite3';

/**
 * Handles are branded (Signal's ReadableDB / WritableDB): repositories say which they need,
 * and only services hold a WritableDB to open write transactions.
 */
export type ReadableDB = Database.Database & { readonly __readable: true };
export type WritableDB = ReadableDB & { readonly __writable: true };

export interface Migration {
  /** 1, 2, 3...: the value of `PRAGMA user_version` after this migration. Never renumbered. */
  readonly version: number;
  readonly name: string;
  up(db: WritableDB): void;
}
