import type { FlowTag, TagChange, TagFlowView, TaggedImagesView, TagLink } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ReadableDB } from '../db/types';
import {
  imageAnnotationTracks,
  imageBoxCounts,
  imageGroundTruth,
  imageHead,
  imageMemberships,
  imageOutcomes,
  imageQuantValues,
  imageRuns,
  imageTagHistory,
  tagIdentity,
  imageTags,
  imageTickets,
  linkedImages,
} from './tagflow-repository';

/**
 * The tag flow of one image (DESIGN §3): its tags grouped as source, labeling, dataset and test,
 * each carrying the link `taggedImages` resolves to the other images with the same tag. Test
 * tags come from the stored outcomes of each run's current snapshot.
 */
export function imageTagFlow(db: ReadableDB, imageId: number, readsResults: boolean): TagFlowView {
  const head = imageHead(db, imageId);
  if (!head) throw new AppError('NOT_FOUND', `Image ${imageId} does not exist.`, { field: 'imageId' });
  return {
    imageId,
    originalName: head.original_name,
    source: sourceTags(db, imageId),
    labeling: labelingTags(db, imageId),
    dataset: datasetTags(db, imageId),
    test: readsResults ? testTags(db, imageId) : null,
  };
}

/** Image tags of this namespace are labeling tags published to the core data (src/main/labeling/core-data.ts). */
const LABELING_NAMESPACE = 'labeling';

function sourceTags(db: ReadableDB, imageId: number): FlowTag[] {
  return namespaceTags(db, imageId, (namespace) => namespace !== LABELING_NAMESPACE);
}

function namespaceTags(db: ReadableDB, imageId: number, keep: (namespace: string) => boolean): FlowTag[] {
  const history = new Map<string, TagChange[]>();
  for (const h of imageTagHistory(db, imageId)) {
    const k = tagIdentity(h);
    const list = history.get(k) ?? [];
    list.push({ oldValue: h.old_value, newValue: h.new_value, changedAt: h.changed_at, changedBy: h.changed_by });
    history.set(k, list);
  }
  return imageTags(db, imageId)
    .filter((t) => keep(t.namespace))
    .map((t) => ({
      id: t.namespace === LABELING_NAMESPACE ? `labeling:${t.key}` : t.namespace === 'source' ? `source:${t.key}` : `source:${t.namespace}.${t.key}`,
      label: t.namespace === 'source' || t.namespace === LABELING_NAMESPACE ? t.key : `${t.namespace}.${t.key}`,
      value: t.value,
      link: { kind: 'tag', namespace: t.namespace, key: t.key, value: t.value },
      at: t.updated_at,
      by: t.updated_by,
      facts: [{ key: 'origin', value: t.origin }],
      history: history.get(tagIdentity(t)) ?? [],
    }));
}

function labelingTags(db: ReadableDB, imageId: number): FlowTag[] {
  // Published into the core data first (type, object, truth, with their history), then the work behind them.
  const tags: FlowTag[] = namespaceTags(db, imageId, (namespace) => namespace === LABELING_NAMESPACE);
  // The labeling datasets it is in, at their newest version containing it.
  const newest = new Map<number, FlowTag>();
  for (const m of imageMemberships(db, imageId)) {
    if (m.purpose !== 'labeling') continue;
    newest.set(m.dataset_id, {
      id: `labeling-dataset:${m.dataset_id}`,
      label: m.name,
      value: `v${m.version}`,
      link: { kind: 'dataset', datasetId: m.dataset_id, version: m.version },
      at: m.created_at,
      by: m.created_by,
      facts: [{ key: 'images', value: m.image_count }],
    });
  }
  tags.push(...newest.values());
  for (const t of imageTickets(db, imageId)) {
    tags.push({
      id: `ticket:${t.ticket_id}`,
      label: t.name,
      value: t.state,
      link: { kind: 'ticket', ticketId: t.ticket_id },
      at: t.added_at,
      by: t.assignee,
      facts: [
        { key: 'dataset', value: t.dataset_name },
        { key: 'released', value: t.released_at },
      ],
    });
  }
  for (const a of imageAnnotationTracks(db, imageId)) {
    tags.push({
      id: `annotation:${a.track}`,
      label: a.kind,
      value: a.author,
      link: { kind: 'annotation', datasetId: a.dataset_id, annotationKind: a.kind },
      at: a.last_at,
      by: a.author,
      facts: [
        { key: 'dataset', value: a.dataset_name },
        { key: 'versions', value: a.versions },
        { key: 'accepted', value: a.accepted === 1 },
        ...(a.ticket_id !== null ? [{ key: 'ticket', value: a.ticket_id }] : []),
      ],
    });
  }
  for (const g of imageGroundTruth(db, imageId)) {
    tags.push({
      id: `ground-truth:${g.gt_set_id}:${g.class_name ?? ''}`,
      label: g.dataset_name,
      value: g.class_name ?? '—',
      link: { kind: 'ground-truth', gtSetId: g.gt_set_id, className: g.class_name },
      at: g.created_at,
      by: g.created_by,
      facts: [
        { key: 'task', value: g.task },
        { key: 'groundTruthSource', value: g.source_name },
        ...(g.task === 'detection' ? [{ key: 'boxes', value: g.boxes }] : []),
      ],
    });
  }
  return tags;
}

function datasetTags(db: ReadableDB, imageId: number): FlowTag[] {
  return imageMemberships(db, imageId).map((m) => ({
    id: `dataset:${m.dataset_id}:v${m.version}`,
    label: m.name,
    value: `v${m.version}`,
    link: { kind: 'dataset', datasetId: m.dataset_id, version: m.version },
    at: m.created_at,
    by: m.created_by,
    facts: [
      { key: 'purpose', value: m.purpose },
      { key: 'frozen', value: m.frozen_at !== null },
      { key: 'latest', value: m.version === m.latest_version },
      { key: 'images', value: m.image_count },
    ],
  }));
}

function testTags(db: ReadableDB, imageId: number): FlowTag[] {
  const outcomes = new Map(imageOutcomes(db, imageId).map((o) => [o.run_id, o]));
  const boxes = imageBoxCounts(db, imageId);
  const quant = imageQuantValues(db, imageId);
  const tags: FlowTag[] = [];
  for (const run of imageRuns(db, imageId)) {
    const base = { at: run.created_at, by: null };
    const runFacts = [
      { key: 'model', value: run.model_name },
      { key: 'dataset', value: `${run.dataset_name} v${run.version}` },
    ];
    if (run.task === 'classification') {
      const o = outcomes.get(run.run_id);
      tags.push({
        id: `run:${run.run_id}`,
        label: run.name,
        value: o ? o.outcome : 'not_evaluated',
        link: o ? { kind: 'run-outcome', runId: run.run_id, outcome: o.outcome, className: null } : null,
        ...base,
        facts: o
          ? [...runFacts, { key: 'trueClass', value: o.true_class }, { key: 'predictedClass', value: o.predicted_class }, { key: 'score', value: o.score }]
          : runFacts,
      });
    } else {
      const mine = boxes.filter((b) => b.run_id === run.run_id);
      if (mine.length === 0) tags.push({ id: `run:${run.run_id}`, label: run.name, value: 'not_evaluated', link: null, ...base, facts: runFacts });
      for (const b of mine) {
        tags.push({
          id: `run:${run.run_id}:${b.class_name}:${b.outcome}`,
          label: run.name,
          value: b.outcome,
          link: { kind: 'run-outcome', runId: run.run_id, outcome: b.outcome, className: b.class_name },
          ...base,
          facts: [...runFacts, { key: 'class', value: b.class_name }, { key: 'boxes', value: b.boxes }],
        });
      }
    }
    for (const q of quant.filter((v) => v.run_id === run.run_id)) {
      tags.push({
        id: `quant:${run.run_id}:${q.matrix_id}`,
        label: run.name,
        value: String(q.value),
        link: { kind: 'run-quant', runId: run.run_id, matrixId: q.matrix_id, value: q.value },
        ...base,
        facts: [{ key: 'quantLabel', value: `${q.name} v${q.version}` }],
      });
    }
  }
  return tags;
}

export function isRunLink(link: TagLink): boolean {
  return link.kind === 'run-outcome' || link.kind === 'run-quant';
}

/** The images carrying the tag a link names. */
export function taggedImages(db: ReadableDB, link: TagLink, offset: number, limit: number): TaggedImagesView {
  const page = linkedImages(db, link, offset, limit);
  if (!page) throw new AppError('NOT_FOUND', 'What this tag refers to does not exist.', { field: 'link' });
  return { link, title: linkTitle(db, link), total: page.total, imageIds: page.imageIds, offset };
}

/** The link in words, for lists and exports (names are data; the renderer may label it itself). */
export function linkTitle(db: ReadableDB, link: TagLink): string {
  const one = <T>(sql: string, ...p: (string | number)[]) => db.prepare(sql).get(...p) as T | undefined;
  switch (link.kind) {
    case 'tag':
      return `${link.namespace === 'source' ? '' : `${link.namespace}.`}${link.key} = ${link.value}`;
    case 'dataset':
      return `${one<{ name: string }>('SELECT name FROM datasets WHERE id = ?', link.datasetId)?.name ?? `#${link.datasetId}`} v${link.version}`;
    case 'ticket':
      return `${one<{ name: string }>('SELECT name FROM tickets WHERE id = ?', link.ticketId)?.name ?? `#${link.ticketId}`}`;
    case 'annotation':
      return `${one<{ name: string }>('SELECT name FROM datasets WHERE id = ?', link.datasetId)?.name ?? `#${link.datasetId}`}: ${link.annotationKind}`;
    case 'ground-truth': {
      const s = one<{ source_name: string }>('SELECT source_name FROM gt_sets WHERE id = ?', link.gtSetId);
      return `${s?.source_name ?? `#${link.gtSetId}`}: ${link.className ?? '—'}`;
    }
    case 'run-outcome': {
      const r = one<{ name: string }>('SELECT name FROM runs WHERE id = ?', link.runId);
      return `${r?.name ?? `#${link.runId}`}: ${link.outcome}${link.className ? ` (${link.className})` : ''}`;
    }
    case 'run-quant': {
      const r = one<{ name: string }>('SELECT name FROM runs WHERE id = ?', link.runId);
      const q = one<{ name: string }>('SELECT name FROM quant_matrices WHERE id = ?', link.matrixId);
      return `${r?.name ?? `#${link.runId}`}: ${q?.name ?? `#${link.matrixId}`} = ${link.value}`;
    }
  }
}
