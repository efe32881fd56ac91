import type { AgreementView, AnnotatorPairView, AnnotatorScoreView, ExportView, ImageScoreView, PairAgreementView, ProgressView, ScoresView } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { toCoco, toCsv, type ExportImage } from '../../shared/labeling/export';
import { agreement, cohensKappa, ratio, scoreAgainstGold } from '../../shared/labeling/quality';
import { versionImageIds } from '../datasets/datasets-repository';
import type { ReadableDB } from '../db/types';
import { labelingDataset } from './access';
import { groundTruth } from './annotations-service';
import { datasetCounts, imageInfos, latestAnnotatorVersions, latestSummary, listTickets, type StoredAnnotation } from './labeling-repository';

/** Progress per dataset, ticket and annotator (counts of images with a saved annotation). */
export function progress(db: ReadableDB, datasetId: number): ProgressView {
  labelingDataset(db, datasetId);
  const tickets = listTickets(db, { datasetId });
  const byAnnotator = new Map<number, ProgressView['byAnnotator'][number]>();
  for (const t of tickets) {
    if (t.assigneeId === null) continue;
    const a = byAnnotator.get(t.assigneeId) ?? { annotatorId: t.assigneeId, name: t.assigneeName ?? '', tickets: 0, images: 0, annotated: 0, submittedTickets: 0, acceptedTickets: 0 };
    byAnnotator.set(t.assigneeId, {
      ...a,
      tickets: a.tickets + 1,
      images: a.images + t.images,
      annotated: a.annotated + t.annotated,
      submittedTickets: a.submittedTickets + (t.state === 'submitted' ? 1 : 0),
      acceptedTickets: a.acceptedTickets + (t.state === 'accepted' ? 1 : 0),
    });
  }
  return {
    datasetId,
    totals: { images: (versionImageIds(db, datasetId) ?? []).length, ...datasetCounts(db, datasetId) },
    byTicket: tickets.map((t) => ({ ticketId: t.id, name: t.name, state: t.state, assigneeId: t.assigneeId, assigneeName: t.assigneeName, images: t.images, annotated: t.annotated })),
    byAnnotator: [...byAnnotator.values()].sort((x, y) => x.name.localeCompare(y.name)),
  };
}

function byImage(versions: StoredAnnotation[]): Map<number, StoredAnnotation[]> {
  const out = new Map<number, StoredAnnotation[]>();
  for (const v of versions) (out.get(v.imageId) ?? out.set(v.imageId, []).get(v.imageId))?.push(v);
  return out;
}

/**
 * Agreement between annotators on the images they both annotated (each one's newest
 * annotator version of the image): IoU/Dice per image and pair, means per pair of
 * annotators, Cohen's kappa of the image class and of each lesion class's presence.
 */
export function agreementReport(db: ReadableDB, datasetId: number): AgreementView {
  labelingDataset(db, datasetId);
  const classes = latestSummary(db, datasetId)?.schema.classes.map((c) => c.name) ?? [];
  const images: PairAgreementView[] = [];
  const pairs = new Map<string, { a: AnnotatorPairView['a']; b: AnnotatorPairView['b']; rows: PairAgreementView[]; imageClass: [string, string][]; presence: Record<string, [string, string][]> }>();
  for (const [imageId, versions] of byImage(latestAnnotatorVersions(db, datasetId))) {
    const sorted = [...versions].sort((x, y) => x.authorId - y.authorId);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const va = sorted[i] as StoredAnnotation;
        const vb = sorted[j] as StoredAnnotation;
        const ag = agreement(va.doc.marks, vb.doc.marks);
        const row: PairAgreementView = {
          imageId,
          a: { annotationId: va.id, authorId: va.authorId, authorName: va.authorName },
          b: { annotationId: vb.id, authorId: vb.authorId, authorName: vb.authorName },
          meanIoU: ag.meanIoU,
          meanDice: ag.meanDice,
          matchedMeanIoU: ag.matchedMeanIoU,
          matched: ag.pairs.length,
          onlyA: ag.onlyA,
          onlyB: ag.onlyB,
        };
        images.push(row);
        const key = `${va.authorId}:${vb.authorId}`;
        const p =
          pairs.get(key) ??
          pairs.set(key, { a: { id: va.authorId, name: va.authorName }, b: { id: vb.authorId, name: vb.authorName }, rows: [], imageClass: [], presence: {} }).get(key);
        if (!p) continue;
        p.rows.push(row);
        if (va.doc.imageClass !== null && vb.doc.imageClass !== null) p.imageClass.push([va.doc.imageClass, vb.doc.imageClass]);
        for (const c of classes) {
          const has = (v: StoredAnnotation) => (v.doc.marks.some((m) => m.class === c) ? 'yes' : 'no');
          (p.presence[c] ??= []).push([has(va), has(vb)]);
        }
      }
    }
  }
  const mean = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    return ratio(
      v.reduce((s, x) => s + x, 0),
      v.length,
    );
  };
  return {
    datasetId,
    pairs: [...pairs.values()].map((p) => ({
      a: p.a,
      b: p.b,
      images: p.rows.length,
      meanIoU: mean(p.rows.map((r) => r.meanIoU)),
      meanDice: mean(p.rows.map((r) => r.meanDice)),
      imageClassKappa: cohensKappa(p.imageClass),
      presenceKappa: Object.fromEntries(Object.entries(p.presence).map(([c, xs]) => [c, cohensKappa(xs)])),
    })),
    images,
  };
}

/** Each annotator's newest version of each image against the image's newest gold version. */
export function scores(db: ReadableDB, datasetId: number, threshold: number): ScoresView {
  labelingDataset(db, datasetId);
  const gt = new Map(groundTruth(db, datasetId).filter((g) => g.source === 'gold').map((g) => [g.imageId, g.annotation]));
  const names = new Map(imageInfos(db, [...gt.keys()]).map((i) => [i.id, i.fileName]));
  const rows: ImageScoreView[] = [];
  for (const v of latestAnnotatorVersions(db, datasetId)) {
    const gold = gt.get(v.imageId);
    if (!gold) continue;
    rows.push({
      imageId: v.imageId,
      fileName: names.get(v.imageId) ?? '',
      annotatorId: v.authorId,
      annotatorName: v.authorName,
      ticketId: v.ticketId as number,
      annotationId: v.id,
      goldId: gold.id,
      score: scoreAgainstGold(v.doc, gold.doc, threshold),
    });
  }
  const byAnnotator = new Map<number, ImageScoreView[]>();
  for (const r of rows) (byAnnotator.get(r.annotatorId) ?? byAnnotator.set(r.annotatorId, []).get(r.annotatorId))?.push(r);
  const annotators: AnnotatorScoreView[] = [...byAnnotator.values()].map((rs) => {
    const sum = (f: (r: ImageScoreView) => number) => rs.reduce((s, r) => s + f(r), 0);
    const matched = sum((r) => r.score.matched.length);
    const missing = sum((r) => r.score.missing.length);
    const extra = sum((r) => r.score.extra.length);
    const wrongClass = sum((r) => r.score.wrongClass.length);
    const lowOverlap = sum((r) => r.score.lowOverlap.length);
    const withClass = rs.filter((r) => r.score.imageClassCorrect !== null);
    const first = rs[0] as ImageScoreView;
    return {
      annotatorId: first.annotatorId,
      name: first.annotatorName,
      images: rs.length,
      matched,
      missing,
      extra,
      wrongClass,
      lowOverlap,
      unscored: sum((r) => r.score.unscored),
      accuracy: ratio(matched, matched + missing + extra + wrongClass + lowOverlap),
      precision: ratio(matched, matched + extra + wrongClass + lowOverlap),
      recall: ratio(matched, matched + missing + wrongClass + lowOverlap),
      meanIoU: ratio(sum((r) => r.score.matched.reduce((s, p) => s + p.iou, 0)), matched),
      imageClassAccuracy: ratio(withClass.filter((r) => r.score.imageClassCorrect).length, withClass.length),
    };
  });
  return { datasetId, threshold, annotators: annotators.sort((x, y) => x.name.localeCompare(y.name)), images: rows };
}

export function exportGroundTruth(db: ReadableDB, datasetId: number, format: 'coco' | 'csv', now: string): ExportView {
  const dataset = labelingDataset(db, datasetId);
  const summary = latestSummary(db, datasetId);
  if (!summary) throw new AppError('VALIDATION', 'This labeling dataset has no label schema yet.', { field: 'datasetId' });
  const gts = groundTruth(db, datasetId);
  const infos = new Map(imageInfos(db, gts.map((g) => g.imageId)).map((i) => [i.id, i]));
  const images: ExportImage[] = [];
  for (const g of gts) {
    const info = infos.get(g.imageId);
    if (!g.annotation || !g.source || !info) continue;
    images.push({
      id: g.imageId,
      fileName: info.fileName,
      width: info.width,
      height: info.height,
      sopInstanceUid: info.sopInstanceUid,
      source: g.source,
      annotationId: g.annotation.id,
      schemaVersion: g.annotation.schemaVersion,
      doc: g.annotation.doc,
    });
  }
  const input = { datasetName: dataset.name, schema: summary.schema, schemaVersion: summary.version, createdAt: now, images };
  const safe = dataset.name.replace(/[^A-Za-z0-9._-]+/g, '_');
  return format === 'coco'
    ? { fileName: `${safe}-ground-truth.coco.json`, mimeType: 'application/json', text: toCoco(input), images: images.length, withoutGroundTruth: gts.length - images.length }
    : { fileName: `${safe}-ground-truth.csv`, mimeType: 'text/csv', text: toCsv(input), images: images.length, withoutGroundTruth: gts.length - images.length };
}
