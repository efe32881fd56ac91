import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuditPanel } from './AuditPanel';
import { PermissionMatrix } from './PermissionMatrix';
import { SettingsPanel } from './SettingsPanel';
import { UsersPanel } from './UsersPanel';

const TABS = ['users', 'permissions', 'audit', 'settings'] as const;
type Tab = (typeof TABS)[number];

const PANELS: Record<Tab, () => React.JSX.Element> = {
  users: UsersPanel,
  permissions: PermissionMatrix,
  audit: AuditPanel,
  settings: SettingsPanel,
};

/** Users, permission matrix, audit log, settings (DESIGN §2.5). The admin role only; main checks every call. */
export function AdminModule() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('users');
  const Panel = PANELS[tab];
  return (
    <section className="module" data-testid="module-admin">
      <div className="tabs" role="tablist">
        {TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`tab${tab === id ? ' active' : ''}`}
            data-testid={`admin-tab-${id}`}
            onClick={() => setTab(id)}
          >
            {t(`admin.tabs.${id}`)}
          </button>
        ))}
      </div>
      <div className="tab-panel">
        <Panel />
      </div>
    </section>
  );
}
