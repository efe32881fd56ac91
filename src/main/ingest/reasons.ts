/**
 * Why a file was quarantined: a stable code for filters and reports, and a sentence for people.
 */
export type QuarantineCode =
  | 'not-dicom'
  | 'no-pixel-data'
  | 'truncated'
  | 'unsupported'
  | 'too-large'
  | 'parse-timeout'
  | 'parse-error'
  | 'unreadable'
  | 'empty';

export class QuarantineError extends Error {
  override readonly name = 'QuarantineError';
  constructor(
    readonly code: QuarantineCode,
    message: string,
  ) {
    super(message);
  }
}
