import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../../shared/contract';
import { DataGrid } from '../../ui/DataGrid';
import { formatDateTime, isLocked } from '../../ui/format';

interface Props {
  readonly users: readonly UserSummary[] | null;
  readonly selectedId: number | null;
  readonly onSelect: (id: number) => void;
}

export function UsersGrid({ users, selectedId, onSelect }: Props) {
  const { t, i18n } = useTranslation();
  const columns = useMemo<ColDef<UserSummary>[]>(
    () => [
      { headerName: t('admin.users.username'), field: 'username', flex: 1, minWidth: 100 },
      { headerName: t('admin.users.displayName'), field: 'displayName', flex: 1.2, minWidth: 120 },
      {
        headerName: t('admin.users.roles'),
        colId: 'roles',
        flex: 2,
        minWidth: 140,
        valueGetter: (p) => (p.data?.roles.length ? p.data.roles.map((r) => t(`roles.${r}`)).join(', ') : t('admin.users.noRoles')),
      },
      {
        headerName: t('admin.users.disabled'),
        colId: 'disabled',
        width: 88,
        valueGetter: (p) => (p.data?.disabled ? t('common.yes') : t('common.no')),
      },
      {
        headerName: t('admin.users.locked'),
        colId: 'locked',
        width: 88,
        valueGetter: (p) => (p.data && isLocked(p.data.lockedUntil) ? t('common.yes') : t('common.no')),
        tooltipValueGetter: (p) =>
          p.data?.lockedUntil ? t('admin.users.lockedUntil', { time: formatDateTime(p.data.lockedUntil, i18n.language) }) : undefined,
      },
      {
        headerName: t('admin.users.lastLogin'),
        colId: 'lastLogin',
        flex: 1.3,
        minWidth: 130,
        valueGetter: (p) => (p.data?.lastLoginAt ? formatDateTime(p.data.lastLoginAt, i18n.language) : t('common.never')),
      },
    ],
    [t, i18n.language],
  );
  return (
    <DataGrid<UserSummary>
      testId="users-grid"
      rows={users}
      columns={columns}
      rowId={(u) => String(u.id)}
      selectedId={selectedId === null ? null : String(selectedId)}
      onRowClicked={(u) => onSelect(u.id)}
    />
  );
}
