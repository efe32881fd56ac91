import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import type { Role } from '../../../../shared/roles';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { formatDateTime, isLocked } from '../../ui/format';
import { RoleCheckboxes } from './RoleCheckboxes';
import { useUsersStore, type ActionOutcome } from './users-store';

/** Edit one user: name and roles, disable/enable, unlock, reset password. Keyed by user id by the parent. */
export function EditUserPanel({ user }: { user: UserSummary }) {
  const { t, i18n } = useTranslation();
  const { update, setDisabled, unlock, resetPassword } = useUsersStore.getState();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [roles, setRoles] = useState<Role[]>([...user.roles]);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorData | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const run = async (action: () => Promise<ActionOutcome>, doneKey: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    const outcome = await action();
    setBusy(false);
    if (outcome.ok) setDone(t(doneKey));
    else setError(outcome.error);
    return outcome.ok;
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(() => update({ id: user.id, displayName: displayName.trim(), roles }), 'admin.users.saved');
  };
  const reset = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => resetPassword(user.id, password), 'admin.users.passwordReset')) setPassword('');
  };
  const locked = isLocked(user.lockedUntil);

  return (
    <section className="card" data-testid="user-edit">
      <h3>{t('admin.users.editTitle', { username: user.username })}</h3>
      <form className="form" onSubmit={save}>
        <label className="field">
          <span>{t('admin.users.displayName')}</span>
          <input data-testid="user-edit-displayName" required value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <RoleCheckboxes testIdPrefix="user-edit" value={roles} onChange={setRoles} />
        <button type="submit" className="btn btn-primary" data-testid="user-edit-save" disabled={busy}>
          {t('common.save')}
        </button>
      </form>
      <div className="button-row">
        <button
          type="button"
          className={user.disabled ? 'btn' : 'btn btn-danger'}
          data-testid="user-edit-toggle-disabled"
          disabled={busy}
          onClick={() =>
            void run(() => setDisabled(user.id, !user.disabled), user.disabled ? 'admin.users.enabledNow' : 'admin.users.disabledNow')
          }
        >
          {user.disabled ? t('admin.users.enable') : t('admin.users.disable')}
        </button>
        {locked && (
          <button type="button" className="btn" data-testid="user-edit-unlock" disabled={busy} onClick={() => void run(() => unlock(user.id), 'admin.users.unlocked')}>
            {t('admin.users.unlock')}
          </button>
        )}
      </div>
      {locked && <p className="muted">{t('admin.users.lockedUntil', { time: formatDateTime(user.lockedUntil, i18n.language) })}</p>}
      <form className="form form-inline" onSubmit={(e) => void reset(e)}>
        <label className="field">
          <span>{t('admin.users.newPassword')}</span>
          <input
            data-testid="user-edit-password"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" className="btn" data-testid="user-edit-reset-password" disabled={busy}>
          {t('admin.users.resetPassword')}
        </button>
      </form>
      {error && <ErrorBanner error={error} testId="user-edit-error" onDismiss={() => setError(null)} />}
      {done && (
        <p className="notice notice-ok" data-testid="user-edit-done" role="status">
          {done}
        </p>
      )}
    </section>
  );
}
