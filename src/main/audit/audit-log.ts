import crypto from 'node:crypto';
import os from 'node:os';
import type { AuditChainReport, AuditOutcome } from '../../shared/contract';
import type { ReadableDB, WritableDB } from '../db/types';
import { canonicalJson } from './canonical';
import { insertRow, iterateRows, lastRow, sequenceHead, type AuditRow, type NewAuditRow } from './audit-repository';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent {
  readonly actorId: number | null;
  readonly actorName: string | null;
  /** A channel name (`users:create`) or a system action (`auth:login`, `system:startup`). */
  readonly action: string;
  readonly objectType?: string | null;
  readonly objectId?: string | number | null;
  readonly outcome: AuditOutcome;
  readonly details?: unknown;
}

/**
 * The hash of one entry: SHA-256 over the previous hash and the canonical form of every
 * other column (Schneier & Kelsey's chain). Editing, deleting, inserting or reordering any
 * row breaks the chain from that row on.
 */
export function entryHash(row: Omit<AuditRow, 'id' | 'hash'>): string {
  const { prev_hash, ...fields } = row;
  return crypto.createHash('sha256').update(prev_hash).update('\n').update(canonicalJson(fields)).digest('hex');
}

export interface AuditClock {
  now(): Date;
}

export class AuditLog {
  private readonly workstation: string;

  constructor(
    private readonly clock: AuditClock = { now: () => new Date() },
    workstation: string = os.hostname(),
  ) {
    this.workstation = workstation;
  }

  /**
   * Appends one entry. Runs inside the caller's transaction when there is one (so the entry
   * commits or rolls back with the change it describes), otherwise in its own.
   */
  record(db: WritableDB, event: AuditEvent): number {
    const write = () => {
      const prev = lastRow(db)?.hash ?? GENESIS_HASH;
      const row: Omit<NewAuditRow, 'hash'> = {
        ts: this.clock.now().toISOString(),
        actor_id: event.actorId,
        actor_name: event.actorName,
        action: event.action,
        object_type: event.objectType ?? null,
        object_id: event.objectId === undefined || event.objectId === null ? null : String(event.objectId),
        outcome: event.outcome,
        workstation: this.workstation,
        details: canonicalJson(event.details ?? {}),
        prev_hash: prev,
      };
      return insertRow(db, { ...row, hash: entryHash(row) });
    };
    return db.inTransaction ? write() : db.transaction(write).immediate();
  }
}

/** Walks the whole chain; reports every break with the id where it shows. */
export function verifyAuditChain(db: ReadableDB): AuditChainReport {
  const problems: string[] = [];
  let prev = GENESIS_HASH;
  let expectedId = 1;
  let entries = 0;
  let head: string | null = null;
  for (const row of iterateRows(db)) {
    entries++;
    if (row.id !== expectedId) {
      problems.push(`entry ${row.id}: expected id ${expectedId} (entries missing or inserted)`);
    }
    if (row.prev_hash !== prev) {
      problems.push(`entry ${row.id}: does not follow the entry before it (deleted, inserted or reordered)`);
    }
    const { id: _id, hash, ...rest } = row;
    if (entryHash(rest) !== hash) {
      problems.push(`entry ${row.id}: content does not match its hash (edited)`);
    }
    prev = hash;
    head = hash;
    expectedId = row.id + 1;
  }
  const seq = sequenceHead(db);
  if (seq > expectedId - 1) {
    problems.push(`entries ${expectedId}..${seq} were removed from the end of the log`);
  }
  return { ok: problems.length === 0, entries, head, problems };
}
