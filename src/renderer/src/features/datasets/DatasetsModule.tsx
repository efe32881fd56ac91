import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetSummary } from '../../../../shared/contract';
import { DataGrid } from '../../ui/DataGrid';
import { formatDateTime } from '../../ui/format';
import { useDatasetsStore } from './datasets-store';

/** Every dataset with its purpose, size, latest version and whether that version is frozen. */
export function DatasetsModule() {
  const { t, i18n } = useTranslation();
  const datasets = useDatasetsStore((s) => s.datasets);
  const loading = useDatasetsStore((s) => s.loading);

  useEffect(() => {
    void useDatasetsStore.getState().load();
  }, []);

  const columns = useMemo<ColDef<DatasetSummary>[]>(
    () => [
      { headerName: '#', field: 'id', width: 70 },
      { headerName: t('data.datasets.name'), field: 'name', flex: 1.2, minWidth: 160 },
      { headerName: t('data.datasets.purpose'), colId: 'purpose', width: 160, valueGetter: (p) => (p.data ? t(`data.purposes.${p.data.purpose}`) : '') },
      { headerName: t('data.datasets.images'), field: 'imageCount', width: 100 },
      { headerName: t('data.datasets.version'), field: 'latestVersion', width: 100 },
      { headerName: t('data.datasets.frozen'), colId: 'frozen', width: 100, valueGetter: (p) => (p.data?.frozen ? t('common.yes') : t('common.no')) },
      { headerName: t('data.datasets.createdAt'), colId: 'createdAt', width: 190, valueGetter: (p) => formatDateTime(p.data?.createdAt, i18n.language) },
      { headerName: t('data.datasets.createdBy'), colId: 'createdBy', width: 120, valueGetter: (p) => p.data?.createdBy ?? '' },
      { headerName: t('data.datasets.description'), field: 'description', flex: 2, minWidth: 200, tooltipField: 'description' },
    ],
    [t, i18n.language],
  );

  return (
    <section className="module panel-fill" data-testid="module-datasets">
      <div className="toolbar">
        <h2>{t('modules.datasets.title')}</h2>
        <button type="button" className="btn" data-testid="datasets-refresh" disabled={loading} onClick={() => void useDatasetsStore.getState().load()}>
          {t('common.refresh')}
        </button>
      </div>
      <DataGrid<DatasetSummary> testId="datasets-grid" rows={datasets} columns={columns} rowId={(d) => String(d.id)} />
    </section>
  );
}
