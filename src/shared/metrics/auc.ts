/**
 * ROC AUC of one binary ranking, counted as the Mann–Whitney U statistic:
 * AUC = (#(pos, neg) pairs with pos ranked above neg + ½ #tied pairs) / (P · N).
 *
 * This is the value scikit-learn's `roc_auc_score(y_true, y_score)` returns: `roc_curve` puts
 * all samples with one score on one threshold, so a tie becomes a diagonal ROC segment and the
 * trapezoidal rule gives it exactly half a pair.
 *
 * `posBottom` / `negBottom` count samples that rank below every score and tie with each other
 * (in one-vs-rest AUC of a single-label prediction: the images not predicted as the class).
 * Sorts the two score arrays in place. `null` when there is no positive or no negative (sklearn
 * raises "Only one class present in y_true").
 */
export function rocAuc(posScores: Float64Array, negScores: Float64Array, posBottom = 0, negBottom = 0): number | null {
  const p = posScores.length + posBottom;
  const n = negScores.length + negBottom;
  if (p === 0 || n === 0) return null;
  posScores.sort();
  negScores.sort();
  // Doubled U, so every term is an integer (exact up to 2^53, i.e. far beyond 10^6 × 10^6 pairs).
  let u2 = posBottom * negBottom;
  let below = 0; // negatives with a score < v
  let notAbove = 0; // negatives with a score <= v
  for (let i = 0; i < posScores.length; i++) {
    const v = posScores[i] as number;
    while (below < negScores.length && (negScores[below] as number) < v) below++;
    if (notAbove < below) notAbove = below;
    while (notAbove < negScores.length && (negScores[notAbove] as number) === v) notAbove++;
    u2 += 2 * (negBottom + below) + (notAbove - below);
  }
  return u2 / (2 * p * n);
}
