import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

export interface SetupValues {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly confirm: string;
}

interface Props {
  readonly busy: boolean;
  readonly onSubmit: (values: SetupValues) => void;
}

export function SetupForm({ busy, onSubmit }: Props) {
  const { t } = useTranslation();
  const [values, setValues] = useState<SetupValues>({ username: '', displayName: '', password: '', confirm: '' });
  const field = (key: keyof SetupValues) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value })),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) onSubmit(values);
  };
  return (
    <form className="form" onSubmit={submit} data-testid="setup-form">
      <label className="field">
        <span>{t('auth.username')}</span>
        <input data-testid="setup-username" autoComplete="username" autoFocus required {...field('username')} />
        <small className="hint">{t('auth.usernameHint')}</small>
      </label>
      <label className="field">
        <span>{t('auth.displayName')}</span>
        <input data-testid="setup-displayName" autoComplete="name" required {...field('displayName')} />
      </label>
      <label className="field">
        <span>{t('auth.password')}</span>
        <input data-testid="setup-password" type="password" autoComplete="new-password" required {...field('password')} />
        <small className="hint">{t('auth.passwordHint')}</small>
      </label>
      <label className="field">
        <span>{t('auth.confirmPassword')}</span>
        <input data-testid="setup-confirm" type="password" autoComplete="new-password" required {...field('confirm')} />
      </label>
      <button type="submit" className="btn btn-primary" data-testid="setup-submit" disabled={busy}>
        {busy ? t('auth.creating') : t('auth.createAdmin')}
      </button>
    </form>
  );
}
