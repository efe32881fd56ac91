import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabelingAdminStore } from './admin-store';
import { CoreDataCard } from './CoreDataCard';
import { ExportCard } from './ExportCard';
import { CreateForm, SplitForm } from './Forms';
import { ProgressChart } from './ProgressChart';
import { QualityPanel } from './QualityPanel';
import { SummaryEditor } from './SummaryEditor';
import { TicketsGrid } from './TicketsGrid';
import './labeling-admin.css';

/**
 * The labeling admin screen (DESIGN §2.2, issue 4 items 1, 2, 7, 8): labeling datasets; per
 * dataset its summary (guidelines + schema, versioned), ticket split, tickets grid with
 * (re)assignment, progress chart, quality against gold drillable to images, and "submit to core
 * data". `mode: 'expert'` (a medical expert without the admin role) shows the guidelines editor,
 * progress and quality only (DESIGN §1: the expert edits guidelines, not the schema).
 */
export function LabelingAdmin({ mode = 'admin' }: { mode?: 'admin' | 'expert' }) {
  const { t } = useTranslation();
  const datasets = useLabelingAdminStore((s) => s.datasets);
  const selectedId = useLabelingAdminStore((s) => s.selectedId);
  const detail = useLabelingAdminStore((s) => s.detail);
  const select = useLabelingAdminStore((s) => s.select);
  useEffect(() => {
    void useLabelingAdminStore.getState().load(mode);
  }, [mode]);
  const admin = mode === 'admin';
  return (
    <div className="ws-home labeling-admin" data-testid={admin ? 'labeling-admin' : 'labeling-expert'}>
      <section className="card">
        <h3>{t(admin ? 'labelingAdmin.title' : 'labelingAdmin.expertTitle')}</h3>
        <table className="ws-table">
          <tbody>
            {(datasets ?? []).map((d) => (
              <tr key={d.dataset.id} data-testid={`labeling-dataset-${d.dataset.id}`} className={d.dataset.id === selectedId ? 'selected' : ''}>
                <td>{d.dataset.name}</td>
                <td>{t('labelingAdmin.progress', { ...d.progress })}</td>
                <td>
                  <button
                    type="button"
                    className="btn"
                    data-testid={`labeling-select-${d.dataset.id}`}
                    aria-pressed={d.dataset.id === selectedId}
                    onClick={() => void select(d.dataset.id)}
                  >
                    {t('labelingAdmin.select')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {datasets?.length === 0 && <p className="muted">{t('labelingAdmin.none')}</p>}
        <button type="button" className="btn" data-testid="labeling-refresh" onClick={() => void useLabelingAdminStore.getState().load(mode)}>
          {t('labelingAdmin.refresh')}
        </button>
      </section>
      {selectedId !== null && (
        <>
          <SummaryEditor summary={detail.summary} canEditSchema={admin} />
          {admin && <SplitForm datasetId={selectedId} />}
          {admin && <TicketsGrid tickets={detail.tickets} />}
          {detail.progress && <ProgressChart progress={detail.progress} />}
          <QualityPanel scores={detail.scores} agreement={detail.agreement} />
          {admin && <CoreDataCard core={detail.core} />}
          {admin && <ExportCard key={selectedId} datasetId={selectedId} />}
        </>
      )}
      {admin && <CreateForm />}
    </div>
  );
}
