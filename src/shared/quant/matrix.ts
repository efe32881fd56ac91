import { z } from 'zod';
import { AppError } from '../errors';

// The lookups live in values.ts, which needs no zod: the metric engine (and `midc metrics`)
// scores without loading the schema.
export { MISSED, quantValue, spuriousValue } from './values';

/**
 * A quantified-label matrix (DESIGN §2.6, §7): `values[TRUE][PRED]` is what the outcome "an
 * image of class TRUE predicted as PRED" is worth, `values[TRUE].missed` what a missed one is
 * worth; a pair not listed takes `default`.
 *
 * `spurious` is for detection only: the value of a predicted box that matches nothing (no box
 * of its own class, none of another class either). A number applies to every predicted class;
 * an object gives a value per predicted class, with `default` for the classes it leaves out;
 * without `spurious`, a spurious box takes `default`. Classification ignores it.
 */
export const quantMatrixSchema = z.strictObject({
  name: z.string().min(1, 'the matrix needs a name'),
  default: z.number(),
  values: z.record(z.string().min(1, 'a class name is empty'), z.record(z.string().min(1, 'a class name is empty'), z.number())),
  spurious: z.union([z.number(), z.record(z.string().min(1, 'a class name is empty'), z.number())]).optional(),
});

export type QuantMatrix = z.infer<typeof quantMatrixSchema>;

/**
 * Validates a parsed matrix file. Refuses with AppError VALIDATION whose message names the
 * source and the path of each problem, e.g. `m.json: values.person.picture: Invalid input:
 * expected number, received string`.
 */
export function parseQuantMatrix(input: unknown, source: string): QuantMatrix {
  const result = quantMatrixSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(top level)'}: ${issue.message}`);
  throw new AppError('VALIDATION', `${source}: ${problems.join('; ')}`, { source, problems });
}
