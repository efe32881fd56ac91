import type { QuantMatrix } from './matrix';

/** The outcome key for a ground-truth image (or box) without any prediction. */
export const MISSED = 'missed';

/**
 * Looks values up by class name. Own-property checks only, so a class called "constructor" or
 * "__proto__" never reads something off Object.prototype.
 */
export function quantValue(matrix: QuantMatrix, trueClass: string, predicted: string): number {
  const row = Object.hasOwn(matrix.values, trueClass) ? matrix.values[trueClass] : undefined;
  return row && Object.hasOwn(row, predicted) ? (row[predicted] as number) : matrix.default;
}

/** The value of a spurious predicted box of `predictedClass` (detection). */
export function spuriousValue(matrix: QuantMatrix, predictedClass: string): number {
  const s = matrix.spurious;
  if (s === undefined) return matrix.default;
  if (typeof s === 'number') return s;
  return Object.hasOwn(s, predictedClass) ? (s[predictedClass] as number) : matrix.default;
}
