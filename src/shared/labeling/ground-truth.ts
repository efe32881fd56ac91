/**
 * The ground-truth rule of DESIGN §2.2: the current ground truth of an image (within a
 * labeling dataset) is its newest gold-standard version; without one, its accepted
 * annotation; without either, it has none. "Newest" is by creation time, then by id (ids
 * grow with every insert, so two versions written in the same millisecond still order).
 * When overlapping tickets had several annotations of one image accepted, the newest
 * accepted one is taken. Reviewer versions are never ground truth.
 */
export type AnnotationKind = 'annotator' | 'reviewer' | 'gold';
export const ANNOTATION_KINDS = ['annotator', 'reviewer', 'gold'] as const;

export interface VersionFacts {
  readonly id: number;
  readonly kind: AnnotationKind;
  readonly createdAt: string;
  /** An annotator version that an expert accepted with its ticket. */
  readonly accepted: boolean;
}

export type GroundTruthSource = 'gold' | 'accepted';

export function newer<V extends VersionFacts>(a: V, b: V): V {
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? a : b;
  return a.id > b.id ? a : b;
}

export function selectGroundTruth<V extends VersionFacts>(versions: readonly V[]): { source: GroundTruthSource; version: V } | null {
  const gold = versions.filter((v) => v.kind === 'gold');
  if (gold.length > 0) return { source: 'gold', version: gold.reduce(newer) };
  const accepted = versions.filter((v) => v.kind === 'annotator' && v.accepted);
  if (accepted.length > 0) return { source: 'accepted', version: accepted.reduce(newer) };
  return null;
}
