import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../../shared/contract';
import { CommandButton } from './CommandButton';
import { LanguageSwitcher } from './LanguageSwitcher';

export function Header({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          M
        </span>
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-sub">{t('app.fullName')}</span>
      </div>
      <div className="header-user" data-testid="header-user">
        <span className="user-name" data-testid="header-user-name" title={t('header.signedInAs', { name: session.username })}>
          {session.displayName}
        </span>
        <span className="user-roles" data-testid="header-user-roles" aria-label={t('header.roles')}>
          {session.roles.map((r) => (
            <span key={r} className="role-chip" data-role={r}>
              {t(`roles.${r}`)}
            </span>
          ))}
        </span>
      </div>
      <div className="header-actions">
        <LanguageSwitcher />
        <CommandButton commandId="session.lock" className="btn btn-ghost" testId="lock">
          {t('header.lock')}
        </CommandButton>
        <CommandButton commandId="session.logout" className="btn btn-ghost" testId="logout">
          {t('header.logout')}
        </CommandButton>
      </div>
    </header>
  );
}
