/**
 * The fast header reader (dicom-header.ts) must never change an import's outcome: on every
 * file it accepts, readDicomInfo gives exactly what the dicom-parser path gives (the same
 * facts, or the same quarantine with the same words). Checked on the real fixtures, on the
 * pydicom corpus and on thousands of byte mutations of the fixtures it accepts.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DICOM_FIXTURES } from '../../../test/helpers/built';
import { readHeaderFast } from './dicom-header';
import { parseDicom, readDicomInfo, type DicomInfo } from './dicom-info';
import { QuarantineError } from './reasons';

const CORPUS = process.env.MIDC_PYDICOM_CORPUS ?? '/usr/lib/python3/dist-packages/pydicom/data/test_files';

type Outcome = { info: DicomInfo } | { quarantine: string; reason: string } | { thrown: string };

function outcome(read: () => DicomInfo): Outcome {
  try {
    return { info: read() };
  } catch (err) {
    if (err instanceof QuarantineError) return { quarantine: err.code, reason: err.message };
    return { thrown: String(err) };
  }
}

/** True when the fast reader took the file; then both paths must agree. */
function agrees(bytes: Uint8Array): boolean {
  const taken = readHeaderFast(bytes) !== null;
  expect(outcome(() => readDicomInfo(bytes))).toEqual(outcome(() => parseDicom(bytes).info));
  return taken;
}

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(DICOM_FIXTURES, name)));

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('the fast DICOM header reader', () => {
  it('takes native little-endian Part 10 files and leaves the rest to dicom-parser', () => {
    for (const name of ['CT_small.dcm', 'MR_small.dcm', 'MR_small_implicit.dcm']) expect(agrees(fixture(name)), name).toBe(true);
    for (const name of ['MR_small_bigendian.dcm', 'MR_small_RLE.dcm', 'JPEG-lossy.dcm', 'no_meta.dcm', 'MR_truncated.dcm']) {
      expect(agrees(fixture(name)), name).toBe(false);
    }
    for (const name of fs.readdirSync(DICOM_FIXTURES).filter((n) => n.endsWith('.dcm'))) agrees(fixture(name));
  });

  it('agrees with dicom-parser on every file of the pydicom corpus', () => {
    if (!fs.existsSync(CORPUS)) throw new Error(`pydicom's test files are missing at ${CORPUS}: apt-get install python3-pydicom (or set MIDC_PYDICOM_CORPUS)`);
    const files = filesUnder(CORPUS);
    const taken = files.filter((f) => agrees(new Uint8Array(fs.readFileSync(f))));
    expect(taken.length).toBeGreaterThan(10);
  });

  it('agrees with dicom-parser on byte mutations of the files it takes (fast-check)', () => {
    const seeds = ['CT_small.dcm', 'MR_small.dcm', 'MR_small_implicit.dcm', 'rtplan.dcm', 'liver_1frame.dcm'].map(fixture);
    let taken = 0;
    fc.assert(
      fc.property(
        fc.nat(seeds.length - 1),
        fc.constantFrom('flip', 'truncate', 'length-max', 'length-zero', 'length-small', 'splice', 'append'),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (seed, kind, position, value) => {
          const src = seeds[seed] as Uint8Array;
          let bytes = new Uint8Array(src);
          const view = new DataView(bytes.buffer);
          // Mostly inside the header, where the structure is.
          const at = position % Math.min(bytes.length, position % 4 === 0 ? bytes.length : 2048);
          if (kind === 'flip') bytes[at] = value;
          else if (kind === 'truncate') bytes = bytes.subarray(0, at);
          else if (kind === 'length-max' && at + 4 <= bytes.length) view.setUint32(at, 0xffffffff, true);
          else if (kind === 'length-zero' && at + 4 <= bytes.length) view.setUint32(at, 0, true);
          else if (kind === 'length-small' && at + 2 <= bytes.length) view.setUint16(at, value, true);
          else if (kind === 'splice') bytes = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(Math.min(bytes.length, at + 1 + value))]);
          else if (kind === 'append') bytes = new Uint8Array([...bytes, ...new Uint8Array(value % 16)]);
          if (agrees(bytes)) taken++;
        },
      ),
      { numRuns: 3000, seed: 20261206 },
    );
    // The mutations exercise the fast path, not only the fallback.
    expect(taken).toBeGreaterThan(300);
  });
});
