import { AppError } from '../../shared/errors';
import { parseQuantMatrix, type QuantMatrix } from '../../shared/quant/matrix';
import { readText } from './read-inputs';

// Apart from read-inputs: the matrix schema needs zod, which `midc metrics` without --quant
// should not have to load.

/** A quantified-label matrix file (JSON), validated by `parseQuantMatrix`. */
export function readQuantMatrixFile(file: string): QuantMatrix {
  const text = readText(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('VALIDATION', `${file}: is not valid JSON (${(err as Error).message})`, { source: file });
  }
  return parseQuantMatrix(json, file);
}
