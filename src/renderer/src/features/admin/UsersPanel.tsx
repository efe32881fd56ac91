import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { CreateUserForm } from './CreateUserForm';
import { EditUserPanel } from './EditUserPanel';
import { UsersGrid } from './UsersGrid';
import { useUsersStore } from './users-store';

export function UsersPanel() {
  const { t } = useTranslation();
  const users = useUsersStore((s) => s.users);
  const selectedId = useUsersStore((s) => s.selectedId);
  const select = useUsersStore((s) => s.select);
  const selected = users?.find((u) => u.id === selectedId) ?? null;

  useEffect(() => {
    void useUsersStore.getState().load();
  }, []);

  return (
    <div className="split" data-testid="admin-users">
      <div className="split-main">
        <UsersGrid users={users} selectedId={selectedId} onSelect={select} />
      </div>
      <aside className="split-side">
        {selected ? <EditUserPanel key={selected.id} user={selected} /> : <p className="muted card">{t('admin.users.selectHint')}</p>}
        <CreateUserForm />
      </aside>
    </div>
  );
}
