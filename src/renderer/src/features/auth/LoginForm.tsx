import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  readonly initialUsername: string;
  readonly busy: boolean;
  readonly onSubmit: (username: string, password: string) => void;
}

export function LoginForm({ initialUsername, busy, onSubmit }: Props) {
  const { t } = useTranslation();
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    onSubmit(username.trim(), password);
    setPassword('');
  };
  return (
    <form className="form" onSubmit={submit} data-testid="login-form">
      <label className="field">
        <span>{t('auth.username')}</span>
        <input
          data-testid="login-username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoFocus={!initialUsername}
          required
        />
      </label>
      <label className="field">
        <span>{t('auth.password')}</span>
        <input
          data-testid="login-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoFocus={!!initialUsername}
          required
        />
      </label>
      <button type="submit" className="btn btn-primary" data-testid="login-submit" disabled={busy}>
        {busy ? t('auth.loggingIn') : t('auth.login')}
      </button>
    </form>
  );
}
