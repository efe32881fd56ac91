import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { LanguageSwitcher } from '../shell/LanguageSwitcher';
import { useAuthStore, type AuthNotice } from './auth-store';
import { LoginForm } from './LoginForm';
import { SetupForm, type SetupValues } from './SetupForm';

const MIN_PASSWORD = 8;

function NoticeText({ notice }: { notice: AuthNotice }) {
  const { t } = useTranslation();
  const text =
    notice.kind === 'idle' ? t('auth.notice.idle', { count: notice.minutes }) : t(`auth.notice.${notice.kind}`);
  return (
    <p className={`notice ${notice.kind === 'disabled' ? 'notice-warn' : 'notice-info'}`} data-testid="login-notice" data-kind={notice.kind} role="status">
      {text}
    </p>
  );
}

/** The screen before a session: first-run setup or login, with the reason the login screen shows. */
export function AuthScreen() {
  const { t } = useTranslation();
  const phase = useAuthStore((s) => s.phase);
  const notice = useAuthStore((s) => s.notice);
  const error = useAuthStore((s) => s.error);
  const busy = useAuthStore((s) => s.busy);
  const lastUsername = useAuthStore((s) => s.lastUsername);
  const login = useAuthStore((s) => s.login);
  const createAdmin = useAuthStore((s) => s.createAdmin);
  const setError = useAuthStore((s) => s.setError);
  const init = useAuthStore((s) => s.init);

  const submitSetup = (v: SetupValues) => {
    // Checked here only to spare a round trip; main validates the same rules.
    if (v.password.length < MIN_PASSWORD) return setError({ code: 'VALIDATION', message: t('auth.passwordTooShort') });
    if (v.password !== v.confirm) return setError({ code: 'VALIDATION', message: t('auth.passwordMismatch') });
    void createAdmin(v.username.trim(), v.displayName.trim(), v.password);
  };

  return (
    <div className="auth-page">
      <div className="auth-topbar">
        <LanguageSwitcher />
      </div>
      <main className="auth-card" data-testid={`auth-${phase}`}>
        <div className="brand-block">
          <span className="brand-mark" aria-hidden="true">
            M
          </span>
          <div>
            <h1 className="brand-name">{t('app.name')}</h1>
            <p className="muted">{t('app.fullName')}</p>
          </div>
        </div>
        {phase === 'loading' && <p className="muted">{t('app.loading')}</p>}
        {phase === 'failed' && (
          <>
            {error && <ErrorBanner error={error} testId="auth-error" />}
            <button type="button" className="btn" onClick={() => void init()}>
              {t('common.refresh')}
            </button>
          </>
        )}
        {phase === 'setup' && (
          <>
            <h2>{t('auth.setupTitle')}</h2>
            <p className="muted">{t('auth.setupIntro')}</p>
            {error && <ErrorBanner error={error} testId="auth-error" onDismiss={() => setError(null)} />}
            <SetupForm busy={busy} onSubmit={submitSetup} />
          </>
        )}
        {phase === 'login' && (
          <>
            <h2>{t('auth.loginTitle')}</h2>
            {notice && <NoticeText notice={notice} />}
            <p className="muted">{t('auth.loginIntro')}</p>
            {error && <ErrorBanner error={error} testId="auth-error" onDismiss={() => setError(null)} />}
            <LoginForm key={lastUsername} initialUsername={lastUsername} busy={busy} onSubmit={(u, p) => void login(u, p)} />
          </>
        )}
      </main>
      <footer className="auth-footer muted">{t('app.offline')}</footer>
    </div>
  );
}
