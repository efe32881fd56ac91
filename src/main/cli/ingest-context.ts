import { AuditLog } from '../audit/audit-log';
import { systemClock } from '../auth/sessions';
import { openDatabase } from '../db/database';
import type { IngestServices } from '../ingest/ingest-service';
import { ensureWorkspaceDirs } from '../workspace/prepare';
import { workspaceLayout } from '../workspace/workspace';

/**
 * What `midc import` needs, without the rest of the app: the workspace, its database (opened
 * and migrated exactly as the app opens it), the clock and the audit log. The whole app (IPC
 * registry, contract schemas, background jobs) costs tens of milliseconds to load, which a
 * one-shot import of a few thousand files should not pay (issue 3 benchmark).
 */
export function openIngestContext(workspaceDir: string): { readonly services: IngestServices; close(): void } {
  const workspace = workspaceLayout(workspaceDir);
  ensureWorkspaceDirs(workspace);
  const db = openDatabase(workspace.dbFile);
  const clock = systemClock;
  const audit = new AuditLog({ now: () => new Date(clock.now()) });
  return { services: { db, clock, workspace, audit }, close: () => db.close() };
}
