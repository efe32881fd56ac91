import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditOutcome } from '../../../../shared/contract';
import { DataGrid } from '../../ui/DataGrid';
import { formatDateTime } from '../../ui/format';
import { AuditFiltersForm } from './AuditFiltersForm';
import { AUDIT_PAGE_SIZE, useAuditStore } from './audit-store';
import { useUsersStore } from './users-store';

const OUTCOME_KEYS: Record<AuditOutcome, string> = {
  0: 'admin.audit.outcomes.success',
  4: 'admin.audit.outcomes.minor',
  8: 'admin.audit.outcomes.serious',
  12: 'admin.audit.outcomes.major',
};

function detailsText(details: unknown): string {
  if (details === null || details === undefined) return '';
  return typeof details === 'string' ? details : JSON.stringify(details);
}

export function AuditPanel() {
  const { t, i18n } = useTranslation();
  const page = useAuditStore((s) => s.page);
  const offset = useAuditStore((s) => s.offset);
  const filters = useAuditStore((s) => s.filters);
  const report = useAuditStore((s) => s.report);
  const verifying = useAuditStore((s) => s.verifying);
  const loading = useAuditStore((s) => s.loading);
  const users = useUsersStore((s) => s.users);

  useEffect(() => {
    void useAuditStore.getState().load();
    if (!useUsersStore.getState().users) void useUsersStore.getState().load();
  }, []);

  const columns = useMemo<ColDef<AuditEntry>[]>(
    () => [
      { headerName: '#', field: 'id', width: 80 },
      { headerName: t('admin.audit.time'), colId: 'ts', width: 190, valueGetter: (p) => formatDateTime(p.data?.ts, i18n.language) },
      { headerName: t('admin.audit.user'), field: 'actorName', width: 130 },
      { headerName: t('admin.audit.action'), field: 'action', width: 170 },
      {
        headerName: t('admin.audit.object'),
        colId: 'object',
        width: 120,
        valueGetter: (p) => (p.data?.objectType ? `${p.data.objectType}${p.data.objectId ? ` #${p.data.objectId}` : ''}` : ''),
      },
      {
        headerName: t('admin.audit.outcome'),
        colId: 'outcome',
        width: 130,
        valueGetter: (p) => (p.data ? t(OUTCOME_KEYS[p.data.outcome]) : ''),
        cellClass: (p) => (p.data && p.data.outcome !== 0 ? 'cell-warn' : ''),
      },
      { headerName: t('admin.audit.workstation'), field: 'workstation', width: 130 },
      {
        headerName: t('admin.audit.details'),
        colId: 'details',
        flex: 1,
        minWidth: 200,
        valueGetter: (p) => detailsText(p.data?.details),
        tooltipValueGetter: (p) => detailsText(p.data?.details),
      },
    ],
    [t, i18n.language],
  );

  const total = page?.total ?? 0;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + AUDIT_PAGE_SIZE, total);
  const { apply, goTo, verify } = useAuditStore.getState();

  return (
    <section className="panel-fill" data-testid="admin-audit">
      <AuditFiltersForm initial={filters} users={users ?? []} onApply={(f) => void apply(f)} />
      <div className="toolbar">
        <span className="muted" data-testid="audit-page-info">
          {total === 0 && !loading ? t('admin.audit.empty') : t('admin.audit.page', { first, last, total })}
        </span>
        <div className="button-row">
          <button type="button" className="btn" data-testid="audit-prev" disabled={offset === 0 || loading} onClick={() => void goTo(offset - AUDIT_PAGE_SIZE)}>
            {t('admin.audit.previous')}
          </button>
          <button type="button" className="btn" data-testid="audit-next" disabled={last >= total || loading} onClick={() => void goTo(offset + AUDIT_PAGE_SIZE)}>
            {t('admin.audit.next')}
          </button>
          <button type="button" className="btn" onClick={() => void goTo(offset)}>
            {t('common.refresh')}
          </button>
          <button type="button" className="btn btn-primary" data-testid="audit-verify" disabled={verifying} onClick={() => void verify()}>
            {verifying ? t('admin.audit.verifying') : t('admin.audit.verify')}
          </button>
        </div>
      </div>
      {report && (
        <div className={`notice ${report.ok ? 'notice-ok' : 'notice-warn'}`} data-testid="audit-verify-result" data-ok={String(report.ok)} role="status">
          {report.ok
            ? t('admin.audit.chainOk', { entries: report.entries })
            : t('admin.audit.chainBroken', { entries: report.entries, count: report.problems.length })}
          {!report.ok && (
            <ul className="problems">
              {report.problems.slice(0, 20).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <DataGrid<AuditEntry> testId="audit-grid" rows={page?.rows ?? null} columns={columns} rowId={(e) => String(e.id)} />
    </section>
  );
}
