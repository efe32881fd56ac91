import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../../../shared/roles';
import { DataGrid } from '../../ui/DataGrid';
import { permissionMatrix, type PermissionRow } from './permission-matrix';

export function PermissionMatrix() {
  const { t, i18n } = useTranslation();
  const rows = useMemo(() => permissionMatrix(), []);
  const columns = useMemo<ColDef<PermissionRow>[]>(
    () => [
      { headerName: t('admin.permissions.channel'), field: 'channel', pinned: 'left', width: 190 },
      {
        headerName: t('admin.permissions.access'),
        colId: 'access',
        width: 150,
        valueGetter: (p) => (p.data ? t(`admin.permissions.${p.data.access === 'roles' ? 'roleList' : p.data.access}`) : ''),
      },
      {
        headerName: t('admin.permissions.mutates'),
        colId: 'mutates',
        width: 110,
        valueGetter: (p) => (p.data?.mutates ? t('common.yes') : t('common.no')),
      },
      ...ROLES.map(
        (role): ColDef<PermissionRow> => ({
          headerName: t(`roles.${role}`),
          headerTooltip: t(`roles.${role}`),
          colId: `role-${role}`,
          width: 120,
          filter: false,
          valueGetter: (p) => (p.data?.allowed[role] ? '✓' : ''),
          cellClass: (p) => (p.data?.allowed[role] ? 'perm-allowed' : 'perm-denied'),
        }),
      ),
    ],
    [t, i18n.language],
  );
  return (
    <section className="panel-fill" data-testid="admin-permissions">
      <p className="muted">{t('admin.permissions.intro')}</p>
      <DataGrid<PermissionRow> testId="permissions-grid" rows={rows} columns={columns} rowId={(r) => r.channel} />
    </section>
  );
}
