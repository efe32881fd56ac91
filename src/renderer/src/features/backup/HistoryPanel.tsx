import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupRow } from '../../../../shared/contract';
import { DataGrid } from '../../ui/DataGrid';
import { BackupButton } from './BackupButton';
import { useBackupStore } from './backup-store';
import { useFormat } from './useFormat';
import { VerifyCard } from './VerifyCard';

/** The backups of one destination, newest first, with their verification; a click selects one. */
export function HistoryPanel() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const destinations = useBackupStore((s) => s.config?.config.destinations ?? null);
  const destination = useBackupStore((s) => s.destination);
  const list = useBackupStore((s) => (s.destination ? (s.lists[s.destination] ?? null) : null));
  const selected = useBackupStore((s) => s.selected);
  const { selectDestination, selectBackup } = useBackupStore.getState();

  useEffect(() => {
    void useBackupStore.getState().loadList();
  }, [destination]);

  const columns = useMemo<ColDef<BackupRow>[]>(
    () => [
      { headerName: t('backup.history.createdAt'), colId: 'createdAt', width: 190, sort: 'desc', valueGetter: (p) => p.data?.createdAt ?? '', valueFormatter: (p) => f.dateTime(p.value as string) },
      {
        headerName: t('backup.history.id'),
        field: 'id',
        flex: 1,
        minWidth: 240,
        valueFormatter: (p) => (p.data && !p.data.readable ? `${p.data.id} — ${t('backup.history.unreadable', { problem: p.data.problem ?? '' })}` : (p.value as string)),
      },
      { headerName: t('backup.history.size'), colId: 'bytes', width: 110, valueGetter: (p) => p.data?.bytes ?? null, valueFormatter: (p) => f.bytes(p.value as number | null) },
      { headerName: t('backup.history.files'), field: 'files', width: 90 },
      { headerName: t('backup.history.duration'), colId: 'durationMs', width: 110, valueGetter: (p) => p.data?.durationMs ?? null, valueFormatter: (p) => f.duration(p.value as number | null) },
      { headerName: t('backup.history.verifiedAt'), colId: 'verifiedAt', width: 190, valueGetter: (p) => p.data?.verifiedAt ?? '', valueFormatter: (p) => f.dateTime(p.value as string) },
      {
        headerName: t('backup.history.verified'),
        colId: 'verified',
        width: 130,
        valueGetter: (p) => {
          const row = p.data;
          if (!row || row.verifiedOk === null) return t('backup.history.verifiedNever');
          const mode = row.verifyMode ? ` (${t(row.verifyMode === 'full' ? 'backup.history.modeFull' : 'backup.history.modeSample')})` : '';
          return `${t(row.verifiedOk ? 'backup.history.verifiedOk' : 'backup.history.verifiedFailed')}${mode}`;
        },
        cellClass: (p) => (p.data?.verifiedOk === false ? 'cell-warn' : ''),
      },
    ],
    // `f` follows the language, which is a dependency.
    [t, i18n.language],
  );

  return (
    <section className="panel-fill backup-history" data-testid="backup-history">
      <div className="toolbar">
        <label className="field field-inline">
          <span>{t('backup.history.destination')}</span>
          <select data-testid="backup-history-destination" value={destination ?? ''} onChange={(e) => selectDestination(e.target.value)}>
            {destinations?.map((d) => (
              <option key={d.path} value={d.path}>
                {d.label ? `${d.label} — ${d.path}` : d.path}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">{t('backup.history.hint')}</span>
        <BackupButton id="backup.refresh" testId="backup-history-refresh" />
      </div>
      {list && !list.present && (
        <p className="notice notice-warn" data-testid="backup-history-absent">
          {t('backup.history.notPresent')}
        </p>
      )}
      <VerifyCard />
      <DataGrid<BackupRow>
        testId="backup-history-grid"
        rows={list?.backups ?? null}
        columns={columns}
        rowId={(b) => b.id}
        selectedId={selected ? (list?.backups.find((b) => b.path === selected)?.id ?? null) : null}
        onRowClicked={(b) => selectBackup(b.path)}
        rowClass={(b) => (!b.readable || b.verifiedOk === false ? 'row-problem' : undefined)}
      />
    </section>
  );
}
