import { z } from 'zod';
import { channel } from './channel';
import { empty, id } from './common';

/** RFC 3881 / DICOM PS3.15 A.5 outcome: 0 success, 4 minor failure, 8 serious failure, 12 major failure. */
export type AuditOutcome = 0 | 4 | 8 | 12;

export interface AuditEntry {
  readonly id: number;
  /** UTC, ISO 8601 with milliseconds. */
  readonly ts: string;
  readonly actorId: number | null;
  readonly actorName: string | null;
  readonly action: string;
  readonly objectType: string | null;
  readonly objectId: string | null;
  readonly outcome: AuditOutcome;
  readonly workstation: string;
  readonly details: unknown;
  readonly hash: string;
}

export interface AuditPage {
  readonly total: number;
  readonly rows: AuditEntry[];
}

export interface AuditChainReport {
  readonly ok: boolean;
  readonly entries: number;
  readonly head: string | null;
  readonly problems: string[];
}

export const auditChannels = {
  'audit:list': channel<AuditPage>()({
    request: z.strictObject({
      actorId: id.optional(),
      action: z.string().max(100).optional(),
      from: z.string().max(40).optional(),
      to: z.string().max(40).optional(),
      limit: z.number().int().min(1).max(5000).default(500),
      offset: z.number().int().min(0).default(0),
    }),
    access: ['admin'],
    mutates: false,
  }),
  'audit:verify': channel<AuditChainReport>()({ request: empty, access: ['admin'], mutates: false }),
} as const;
