import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../../shared/contract';
import { NO_FILTERS, type AuditFilters } from './audit-store';

interface Props {
  readonly initial: AuditFilters;
  readonly users: readonly UserSummary[];
  readonly onApply: (filters: AuditFilters) => void;
}

export function AuditFiltersForm({ initial, users, onApply }: Props) {
  const { t } = useTranslation();
  const [f, setF] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(f);
  };
  return (
    <form className="filters" onSubmit={submit} data-testid="audit-filters">
      <label className="field">
        <span>{t('admin.audit.user')}</span>
        <select data-testid="audit-filter-user" value={f.actorId} onChange={(e) => setF({ ...f, actorId: e.target.value })}>
          <option value="">{t('admin.audit.anyUser')}</option>
          {users.map((u) => (
            <option key={u.id} value={String(u.id)}>
              {u.username} — {u.displayName}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('admin.audit.action')}</span>
        <input data-testid="audit-filter-action" value={f.action} placeholder="auth:login" onChange={(e) => setF({ ...f, action: e.target.value })} />
      </label>
      <label className="field">
        <span>{t('admin.audit.from')}</span>
        <input data-testid="audit-filter-from" type="date" value={f.from} onChange={(e) => setF({ ...f, from: e.target.value })} />
      </label>
      <label className="field">
        <span>{t('admin.audit.to')}</span>
        <input data-testid="audit-filter-to" type="date" value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} />
      </label>
      <div className="button-row">
        <button type="submit" className="btn btn-primary" data-testid="audit-filter-apply">
          {t('admin.audit.apply')}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setF(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          {t('admin.audit.reset')}
        </button>
      </div>
    </form>
  );
}
