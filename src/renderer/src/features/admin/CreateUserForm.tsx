import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorData } from '../../../../shared/errors';
import type { Role } from '../../../../shared/roles';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { RoleCheckboxes } from './RoleCheckboxes';
import { useUsersStore } from './users-store';

const empty = { username: '', displayName: '', password: '', roles: [] as Role[] };

export function CreateUserForm() {
  const { t } = useTranslation();
  const create = useUsersStore((s) => s.create);
  const [values, setValues] = useState(empty);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorData | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setCreated(null);
    const username = values.username.trim();
    const outcome = await create({ username, displayName: values.displayName.trim(), password: values.password, roles: values.roles });
    setBusy(false);
    if (outcome.ok) {
      setCreated(username);
      setValues(empty);
    } else {
      setError(outcome.error);
    }
  };

  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="user-create-form">
      <h3>{t('admin.users.createTitle')}</h3>
      <div className="form-row">
        <label className="field">
          <span>{t('admin.users.username')}</span>
          <input
            data-testid="user-create-username"
            required
            autoComplete="off"
            value={values.username}
            onChange={(e) => setValues({ ...values, username: e.target.value })}
          />
        </label>
        <label className="field">
          <span>{t('admin.users.displayName')}</span>
          <input
            data-testid="user-create-displayName"
            required
            autoComplete="off"
            value={values.displayName}
            onChange={(e) => setValues({ ...values, displayName: e.target.value })}
          />
        </label>
      </div>
      <label className="field">
        <span>{t('admin.users.initialPassword')}</span>
        <input
          data-testid="user-create-password"
          type="password"
          required
          autoComplete="new-password"
          value={values.password}
          onChange={(e) => setValues({ ...values, password: e.target.value })}
        />
        <small className="hint">{t('auth.passwordHint')}</small>
      </label>
      <RoleCheckboxes testIdPrefix="user-create" value={values.roles} onChange={(roles) => setValues({ ...values, roles })} />
      {error && <ErrorBanner error={error} testId="user-create-error" onDismiss={() => setError(null)} />}
      {created && (
        <p className="notice notice-ok" data-testid="user-create-done" role="status">
          {t('admin.users.created', { username: created })}
        </p>
      )}
      <button type="submit" className="btn btn-primary" data-testid="user-create-submit" disabled={busy}>
        {busy ? t('common.saving') : t('admin.users.create')}
      </button>
    </form>
  );
}
