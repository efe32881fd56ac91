import { create } from 'zustand';
import type { AuditChainReport, AuditPage, RequestOf } from '../../../../shared/contract';
import { valueOrReport } from '../../core/result';
import { adminApi } from './api';

export interface AuditFilters {
  /** A user id as typed in the select; '' for anyone. */
  readonly actorId: string;
  readonly action: string;
  /** Local calendar days, YYYY-MM-DD, from <input type="date">; '' for open-ended. */
  readonly from: string;
  readonly to: string;
}

export const NO_FILTERS: AuditFilters = { actorId: '', action: '', from: '', to: '' };
export const AUDIT_PAGE_SIZE = 100;

/**
 * The request for one page. Days are the person's local days: `from` is the start of its first
 * day and `to` the end of its last, in UTC as the log stores them.
 */
export function auditRequest(filters: AuditFilters, offset: number, limit = AUDIT_PAGE_SIZE): RequestOf<'audit:list'> {
  const req: { -readonly [K in keyof RequestOf<'audit:list'>]: RequestOf<'audit:list'>[K] } = { limit, offset };
  const actorId = Number(filters.actorId);
  if (filters.actorId && Number.isInteger(actorId) && actorId > 0) req.actorId = actorId;
  if (filters.action.trim()) req.action = filters.action.trim();
  const from = filters.from ? new Date(`${filters.from}T00:00:00`) : null;
  const to = filters.to ? new Date(`${filters.to}T23:59:59.999`) : null;
  if (from && !Number.isNaN(from.getTime())) req.from = from.toISOString();
  if (to && !Number.isNaN(to.getTime())) req.to = to.toISOString();
  return req;
}

interface AuditState {
  readonly filters: AuditFilters;
  readonly offset: number;
  readonly page: AuditPage | null;
  readonly loading: boolean;
  readonly report: AuditChainReport | null;
  readonly verifying: boolean;
  load(): Promise<void>;
  apply(filters: AuditFilters): Promise<void>;
  goTo(offset: number): Promise<void>;
  verify(): Promise<void>;
}

export const useAuditStore = create<AuditState>()((set, get) => ({
  filters: NO_FILTERS,
  offset: 0,
  page: null,
  loading: false,
  report: null,
  verifying: false,

  async load() {
    set({ loading: true });
    const { filters, offset } = get();
    const page = valueOrReport(await adminApi.listAudit(auditRequest(filters, offset)));
    set({ loading: false, ...(page ? { page } : {}) });
  },

  async apply(filters) {
    set({ filters, offset: 0 });
    await get().load();
  },

  async goTo(offset) {
    set({ offset: Math.max(0, offset) });
    await get().load();
  },

  async verify() {
    set({ verifying: true, report: null });
    const report = valueOrReport(await adminApi.verifyAudit());
    set({ verifying: false, report: report ?? null });
  },
}));
