import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuantMatrixView } from '../../../../shared/contract';
import { DataGrid } from '../../ui/DataGrid';
import { formatDateTime } from '../../ui/format';
import { LinksPanel } from './LinksPanel';
import { MatrixEditor } from './MatrixEditor';
import { useQuantStore } from './quant-store';

/** The list of quantified labels beside the editor of the chosen one. */
export function MatricesPanel({ canEdit }: { readonly canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const matrices = useQuantStore((s) => s.matrices);
  const detail = useQuantStore((s) => s.detail);
  const creating = useQuantStore((s) => s.creating);
  const selectedId = useQuantStore((s) => s.selectedId);
  const load = useQuantStore((s) => s.load);
  const select = useQuantStore((s) => s.select);
  const startNew = useQuantStore((s) => s.startNew);

  useEffect(() => {
    void load();
  }, [load]);

  const columns = useMemo<ColDef<QuantMatrixView>[]>(
    () => [
      { colId: 'name', headerName: t('quant.list.columns.name'), field: 'name', flex: 2 },
      { colId: 'version', headerName: t('quant.list.columns.version'), valueGetter: (p) => (p.data ? `v${p.data.version}` : ''), width: 90 },
      { colId: 'status', headerName: t('quant.list.columns.status'), valueGetter: (p) => (p.data ? t(`quant.status.${p.data.status}`) : ''), width: 110 },
      { colId: 'classes', headerName: t('quant.list.columns.classes'), valueGetter: (p) => p.data?.classes.join(', ') ?? '', flex: 2 },
      { colId: 'links', headerName: t('quant.list.columns.links'), valueGetter: (p) => p.data?.links.map((l) => l.standardName).join(', ') ?? '', flex: 2 },
      { colId: 'used', headerName: t('quant.list.columns.used'), valueGetter: (p) => (p.data?.usedAt ? formatDateTime(p.data.usedAt, i18n.language) : t('quant.list.notUsed')), flex: 1 },
    ],
    [t, i18n.language],
  );

  const current = detail?.matrix ?? null;
  return (
    <div className="split quant-split">
      <div className="split-main">
        <div className="toolbar">
          <h3>{t('quant.list.title')}</h3>
          {canEdit ? (
            <button type="button" className="btn btn-primary" data-testid="quant-new" onClick={startNew}>
              {t('quant.list.new')}
            </button>
          ) : (
            <span className="muted">{t('quant.list.readOnly')}</span>
          )}
        </div>
        <DataGrid
          rows={matrices}
          columns={columns}
          rowId={(m) => String(m.id)}
          selectedId={selectedId === null ? null : String(selectedId)}
          onRowClicked={(m) => void select(m.id)}
          testId="quant-grid-list"
        />
      </div>
      <div className="split-side quant-side">
        {creating && <MatrixEditor key="new" matrix={null} canEdit={canEdit} />}
        {!creating && current && (
          <>
            {/* Keyed by name: saving (in place or as a new version) keeps the form and its notice. */}
            <MatrixEditor key={current.name} matrix={current} canEdit={canEdit} />
            <LinksPanel matrix={current} canEdit={canEdit} />
            {detail && detail.versions.length > 1 && (
              <section className="card" data-testid="quant-versions">
                <h3>{t('quant.editor.versions')}</h3>
                <ul>
                  {detail.versions.map((v) => (
                    <li key={v.id}>{t('quant.editor.versionRow', { version: v.version, status: t(`quant.status.${v.status}`), date: formatDateTime(v.createdAt, i18n.language) })}</li>
                  ))}
                </ul>
              </section>
            )}
          </>
        )}
      </div>
    </div>
  );
}
