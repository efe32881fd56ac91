import type { ImageScoreView, ScoresView } from '../../../../shared/contract';

/** The CVAT-style counts of a score against gold, the columns of the quality grid. */
export const SCORE_COUNTS = ['matched', 'missing', 'extra', 'wrongClass', 'lowOverlap'] as const;
export type ScoreCount = (typeof SCORE_COUNTS)[number];

export function countOf(row: ImageScoreView, count: ScoreCount): number {
  return row.score[count].length;
}

/** The images behind one count of one annotator: those where it is above zero, with that count. */
export function drillImages(scores: ScoresView, annotatorId: number, count: ScoreCount): { image: ImageScoreView; n: number }[] {
  return scores.images
    .filter((r) => r.annotatorId === annotatorId && countOf(r, count) > 0)
    .map((image) => ({ image, n: countOf(image, count) }))
    .sort((a, b) => b.n - a.n || a.image.fileName.localeCompare(b.image.fileName));
}
