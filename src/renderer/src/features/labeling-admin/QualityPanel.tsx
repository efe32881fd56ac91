import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgreementView, AnnotatorPairView, AnnotatorScoreView, ScoresView } from '../../../../shared/contract';
import { DataGrid } from '../../ui/DataGrid';
import { useWorkspaceStore } from '../workspace/workspace-store';
import { LinkCell, type LinkCellParams } from '../../ui/LinkCell';
import { drillImages, SCORE_COUNTS, type ScoreCount } from './quality-drill';

const fixed = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));

/** The images behind a count; each opens in the workspace viewer. */
function DrillList({ scores, annotator, count, onClose }: { scores: ScoresView; annotator: AnnotatorScoreView; count: ScoreCount; onClose(): void }) {
  const { t } = useTranslation();
  const rows = drillImages(scores, annotator.annotatorId, count);
  return (
    <div className="card la-drill" data-testid="quality-drill">
      <h4>{t('labelingAdmin.drillTitle', { name: annotator.name, count: t(`labelingAdmin.score.${count}`) })}</h4>
      <ul>
        {rows.map(({ image, n }) => (
          <li key={`${image.imageId}-${image.annotationId}`}>
            <button type="button" className="cell-link" data-testid={`quality-drill-image-${image.imageId}`} onClick={() => void useWorkspaceStore.getState().openImages([image.imageId])}>
              {image.fileName}
            </button>{' '}
            <span className="muted">
              ×{n} · {t('labelingAdmin.col.ticket')} #{image.ticketId} · {t('labelingAdmin.goldVersion', { id: image.goldId })}
            </span>
          </li>
        ))}
      </ul>
      <button type="button" className="btn" onClick={onClose}>
        {t('labelingAdmin.close')}
      </button>
    </div>
  );
}

/**
 * Quality (issue 4 item 8): each annotator's score against gold (CVAT-style counts, every count a
 * link to its images) and the agreement between annotators who labeled the same images.
 */
export function QualityPanel({ scores, agreement }: { scores: ScoresView | null; agreement: AgreementView | null }) {
  const { t, i18n } = useTranslation();
  const [drill, setDrill] = useState<{ annotatorId: number; count: ScoreCount } | null>(null);
  const scoreColumns = useMemo<ColDef<AnnotatorScoreView>[]>(() => {
    const link: LinkCellParams<AnnotatorScoreView>['link'] = (row, colId) =>
      row[colId as ScoreCount] > 0 ? { open: () => setDrill({ annotatorId: row.annotatorId, count: colId as ScoreCount }), testId: `quality-cell-${row.annotatorId}-${colId}` } : null;
    return [
      { colId: 'name', headerName: t('labelingAdmin.col.annotator'), field: 'name', flex: 1, minWidth: 130 },
      { colId: 'images', headerName: t('labelingAdmin.col.images'), field: 'images', width: 90 },
      ...SCORE_COUNTS.map((c): ColDef<AnnotatorScoreView> => ({ colId: c, headerName: t(`labelingAdmin.score.${c}`), field: c, width: 110, cellRenderer: LinkCell, cellRendererParams: { link } })),
      { colId: 'precision', headerName: t('labelingAdmin.score.precision'), valueGetter: (p) => fixed(p.data?.precision), width: 100 },
      { colId: 'recall', headerName: t('labelingAdmin.score.recall'), valueGetter: (p) => fixed(p.data?.recall), width: 100 },
      { colId: 'meanIoU', headerName: t('labelingAdmin.score.meanIoU'), valueGetter: (p) => fixed(p.data?.meanIoU), width: 100 },
      { colId: 'imageClassAccuracy', headerName: t('labelingAdmin.score.imageClassAccuracy'), valueGetter: (p) => fixed(p.data?.imageClassAccuracy), width: 130 },
    ];
  }, [t, i18n.language]);
  const pairColumns = useMemo<ColDef<AnnotatorPairView>[]>(
    () => [
      { colId: 'pair', headerName: t('labelingAdmin.col.pair'), valueGetter: (p) => (p.data ? `${p.data.a.name} × ${p.data.b.name}` : ''), flex: 1, minWidth: 160 },
      { colId: 'images', headerName: t('labelingAdmin.col.images'), field: 'images', width: 90 },
      { colId: 'iou', headerName: 'IoU', valueGetter: (p) => fixed(p.data?.meanIoU), width: 100 },
      { colId: 'dice', headerName: 'Dice', valueGetter: (p) => fixed(p.data?.meanDice), width: 100 },
      { colId: 'kappa', headerName: t('labelingAdmin.score.kappa'), valueGetter: (p) => fixed(p.data?.imageClassKappa.kappa), width: 120 },
    ],
    [t, i18n.language],
  );
  const annotator = drill && scores?.annotators.find((a) => a.annotatorId === drill.annotatorId);
  return (
    <section className="card" data-testid="quality-panel">
      <h3>{t('labelingAdmin.qualityTitle', { threshold: scores?.threshold ?? 0.5 })}</h3>
      <DataGrid<AnnotatorScoreView> rows={scores?.annotators ?? null} columns={scoreColumns} rowId={(r) => String(r.annotatorId)} testId="quality-grid" />
      {drill && annotator && scores && <DrillList scores={scores} annotator={annotator} count={drill.count} onClose={() => setDrill(null)} />}
      <h4>{t('labelingAdmin.agreementTitle')}</h4>
      <DataGrid<AnnotatorPairView> rows={agreement?.pairs ?? null} columns={pairColumns} rowId={(r) => `${r.a.id}-${r.b.id}`} testId="agreement-grid" />
    </section>
  );
}
