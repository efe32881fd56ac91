import type { AuditLog } from '../audit/audit-log';
import type { WritableDB } from '../db/types';
import { markInterruptedBatches } from '../ingest/ingest-repository';
import type { RootHealth } from '../storage/roots';
import { storageStartup } from '../storage/startup';
import type { Workspace } from './workspace';

/** Temp files younger than this may belong to an import running in another process (the CLI). */
const ORPHAN_TEMP_AGE_MS = 60 * 60_000;

export interface StartupReport {
  /** `PRAGMA quick_check`: 'ok' or the problems it found (RELIABILITY §2.3). */
  readonly quickCheck: string[];
  readonly interruptedBatches: number;
  readonly removedTemps: number;
  /** The storage root's health: `error` means nothing can be stored (missing, read-only, network fs). */
  readonly storage: Pick<RootHealth, 'status' | 'problems'>;
}

/**
 * What a host does once at start (issue 8, item 6): a quick check of the database, import
 * batches cut short by a crash marked as interrupted (re-running the import finishes them),
 * orphan temp files of interrupted blob writes removed. The result is audited.
 */
export function runStartupChecks(db: WritableDB, audit: AuditLog, workspace: Workspace): StartupReport {
  const quick = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
  const interruptedBatches = db.transaction(() => markInterruptedBatches(db)).immediate();
  const { storage, removedTemps } = storageStartup(workspace, { tempMinAgeMs: ORPHAN_TEMP_AGE_MS });
  const report: StartupReport = {
    quickCheck: quick,
    interruptedBatches,
    removedTemps: removedTemps.length,
    storage: { status: storage.status, problems: storage.problems },
  };
  audit.record(db, {
    actorId: null,
    actorName: null,
    action: 'system:startup',
    objectType: 'workspace',
    objectId: workspace.root,
    outcome: quick.length === 1 && quick[0] === 'ok' ? (storage.status === 'ok' ? 0 : 4) : 12,
    details: report,
  });
  return report;
}
