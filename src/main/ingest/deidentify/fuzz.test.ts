import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DICOM_FIXTURES } from '../../../../test/helpers/built';
import { parseDicom } from '../dicom-info';
import { QuarantineError } from '../reasons';
import { DeidentifyError } from './binary';
import { deidentifyPart10 } from './deidentify';
import { phiElements } from './test-support/phi';
import { plant } from './test-support/plant';

const sources = ['CT_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'JPEG-lossy.dcm'].map((n) => {
  const bytes = new Uint8Array(fs.readFileSync(path.join(DICOM_FIXTURES, n)));
  return plant(bytes, phiElements({ explicitOnly: !n.includes('implicit') }));
});

describe('de-identifying damaged files', () => {
  it('either gives a file that parses or refuses with a DeidentifyError (fast-check byte mutations)', () => {
    const mutation = fc.record({
      source: fc.nat({ max: sources.length - 1 }),
      edits: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
      cut: fc.option(fc.double({ min: 0.1, max: 1, noNaN: true }), { nil: undefined }),
    });
    fc.assert(
      fc.property(mutation, (m) => {
        const src = sources[m.source] as Uint8Array;
        let bytes = src.slice();
        // Mutate the header and data set area (the first 2 KiB), where the structure is.
        for (const e of m.edits) bytes[132 + Math.floor(e.at * Math.min(2048, bytes.length - 133))] = e.value;
        if (m.cut !== undefined) bytes = bytes.subarray(0, Math.floor(bytes.length * m.cut));
        try {
          const out = deidentifyPart10(bytes, { secret: 's' });
          try {
            parseDicom(out.bytes);
          } catch (err) {
            // The input may have been damaged in a way only the image checks see (rows, pixel length).
            expect(err).toBeInstanceOf(QuarantineError);
          }
        } catch (err) {
          expect(err, String(err)).toBeInstanceOf(DeidentifyError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
