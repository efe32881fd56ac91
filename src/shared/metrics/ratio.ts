/**
 * Ratios as the metric contract wants them (DESIGN §7): an undefined ratio (0/0) is `null`,
 * never 0 and never NaN, so a consumer can tell "no evidence" from "always wrong".
 */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * Unweighted mean of the defined values; `null` when none is defined. This is scikit-learn's
 * `zero_division=np.nan` behaviour for macro averages: an ill-defined per-class value is left
 * out of the mean instead of counting as 0.
 */
export function meanDefined(values: readonly (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === null) continue;
    sum += v;
    n++;
  }
  return n === 0 ? null : sum / n;
}
