import type { AuditEntry, AuditOutcome } from '../../shared/contract';
import type { ReadableDB, WritableDB } from '../db/types';

export interface AuditRow {
  id: number;
  ts: string;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: AuditOutcome;
  workstation: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export type NewAuditRow = Omit<AuditRow, 'id'>;

export function lastRow(db: ReadableDB): Pick<AuditRow, 'id' | 'hash'> | undefined {
  return db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    | Pick<AuditRow, 'id' | 'hash'>
    | undefined;
}

export function insertRow(db: WritableDB, row: NewAuditRow): number {
  const info = db
    .prepare(
      `INSERT INTO audit_log (ts, actor_id, actor_name, action, object_type, object_id, outcome, workstation, details, prev_hash, hash)
       VALUES (@ts, @actor_id, @actor_name, @action, @object_type, @object_id, @outcome, @workstation, @details, @prev_hash, @hash)`,
    )
    .run(row);
  return Number(info.lastInsertRowid);
}

export function* iterateRows(db: ReadableDB): Generator<AuditRow> {
  yield* db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<AuditRow>;
}

/** The highest id ever handed out (sqlite_sequence survives deletion of the newest rows). */
export function sequenceHead(db: ReadableDB): number {
  const row = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").get() as { seq: number } | undefined;
  return row?.seq ?? 0;
}

export interface AuditQuery {
  actorId?: number | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

export function queryRows(db: ReadableDB, q: AuditQuery): { total: number; rows: AuditEntry[] } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.actorId !== undefined) {
    where.push('actor_id = @actorId');
    params.actorId = q.actorId;
  }
  if (q.action) {
    where.push("action LIKE @action ESCAPE '\\'");
    params.action = `%${q.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  if (q.from) {
    where.push('ts >= @from');
    params.from = q.from;
  }
  if (q.to) {
    where.push('ts <= @to');
    params.to = q.to;
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${clause}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM audit_log ${clause} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: q.limit, offset: q.offset }) as AuditRow[];
  return { total, rows: rows.map(toEntry) };
}

export function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    ts: row.ts,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    outcome: row.outcome,
    workstation: row.workstation,
    details: safeParse(row.details),
    hash: row.hash,
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
