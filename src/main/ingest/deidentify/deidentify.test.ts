import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import dicomParser from 'dicom-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DICOM_FIXTURES } from '../../../../test/helpers/built';
import { parseDicom } from '../dicom-info';
import { DeidentifyError } from './binary';
import { deidentifyPart10 } from './deidentify';
import { PROFILE } from './profile';
import { PHI_TOKENS, PLANTED_REFERENCED_UID, phiElements, phiPatterns, survivors } from './test-support/phi';
import { layoutOf, plant, type PlantElement } from './test-support/plant';
import { pixelBytes } from './test-support/pixels';
import { mapUid } from './uid-map';

const SECRET = 'test-secret';
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(DICOM_FIXTURES, name)));

const FIXTURES = ['CT_small.dcm', 'MR_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_RLE.dcm', 'JPEG-lossy.dcm', 'no_meta.dcm'];

describe('deidentifyPart10 on real fixtures with planted PHI', () => {
  for (const name of FIXTURES) {
    it(`${name}: no planted string survives, pixels are identical, the method is recorded`, () => {
      const original = fixture(name);
      const { enc, transferSyntax } = layoutOf(original);
      const planted = plant(original, phiElements({ explicitOnly: enc.explicit }));
      expect(survivors(planted).length).toBeGreaterThan(PHI_TOKENS.length); // the plant worked
      const { bytes, summary } = deidentifyPart10(planted, { secret: SECRET });

      expect(survivors(bytes)).toEqual([]);
      const parsed = parseDicom(bytes);
      const ds = parsed.dataSet;
      expect(parsed.info.transferSyntax).toBe(transferSyntax);
      expect(pixelBytes(bytes).equals(pixelBytes(planted))).toBe(true);
      expect(ds.string('x00120062')).toBe('YES');
      expect(ds.string('x00120063')).toMatch(/Basic Profile/);
      const codes = (ds.elements.x00120064?.items ?? []).map((i) => i.dataSet?.string('x00080100'));
      expect(codes).toEqual(['113100', '113106']);
      expect(ds.string('x00280303')).toBe('UNMODIFIED');
      // Type 2 attributes stay, empty; type 3 are gone; private tags are gone.
      expect(ds.elements.x00100010?.length).toBe(0);
      expect(ds.elements.x00100020?.length).toBe(0);
      expect(ds.elements.x00080080).toBeUndefined();
      expect(ds.elements.x00101002).toBeUndefined();
      expect(Object.keys(ds.elements).filter((k) => Number.parseInt(k.slice(1, 5), 16) % 2 === 1)).toEqual([]);
      // New UIDs, in the file meta too; the original ones are nowhere.
      const originalUids = ['x0020000d', 'x0020000e', 'x00080018'].map((tag) => parseDicom(planted).dataSet.string(tag) as string);
      for (const uid of originalUids) expect(Buffer.from(bytes).includes(Buffer.from(uid))).toBe(false);
      expect(ds.string('x0020000d')).toBe(mapUid(SECRET, originalUids[0] as string));
      expect(ds.string('x00080018')).toBe(summary.sopInstanceUid);
      expect(ds.string('x00020003')).toBe(summary.sopInstanceUid);
      // Dates are kept (Retain Longitudinal Temporal Information), the birth date is not.
      expect(ds.string('x00080020')).toBe(parseDicom(planted).dataSet.string('x00080020'));
      expect(ds.string('x00100030') ?? '').toBe('');
      // Kept sequence: walked; its reference maps like the object it references would.
      const ref = ds.elements.x00081110?.items?.[0]?.dataSet;
      expect(ref?.string('x00081155')).toBe(mapUid(SECRET, PLANTED_REFERENCED_UID));
      expect(ref?.string('x00081150')).toBe('1.2.840.10008.3.1.2.3.1');
      expect(summary.privateRemoved).toBeGreaterThanOrEqual(3);
    });
  }

  it('writes a File Meta group whose group length is right', () => {
    const { bytes } = deidentifyPart10(fixture('MR_small_bigendian.dcm'), { secret: SECRET });
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(Buffer.from(bytes.subarray(128, 132)).toString('latin1')).toBe('DICM');
    expect([view.getUint16(132, true), view.getUint16(134, true)]).toEqual([0x0002, 0x0000]);
    const groupLength = view.getUint32(140, true);
    const afterMeta = 144 + groupLength;
    expect(view.getUint16(afterMeta - 0, false)).not.toBe(0x0002); // the data set (big endian) follows
    const meta = dicomParser.parseDicom(bytes, { untilTag: 'x00080005' } as dicomParser.ParseDicomOptions);
    const lastMeta = meta.elements.x00020013 as dicomParser.Element;
    expect(lastMeta.dataOffset + lastMeta.length).toBe(afterMeta);
  });

  it('maps the same original UIDs to the same new ones in every encoding, and differently for another secret', () => {
    const outputs = ['MR_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm'].map((n) => parseDicom(deidentifyPart10(fixture(n), { secret: SECRET }).bytes).info);
    expect(new Set(outputs.map((i) => i.seriesInstanceUid)).size).toBe(1);
    expect(new Set(outputs.map((i) => i.sopInstanceUid)).size).toBe(1);
    const other = parseDicom(deidentifyPart10(fixture('MR_small.dcm'), { secret: 'another' }).bytes).info;
    expect(other.seriesInstanceUid).not.toBe(outputs[0]?.seriesInstanceUid);
    expect(outputs[0]?.seriesInstanceUid).toMatch(/^2\.25\.[1-9][0-9]{0,38}$/);
    // The same input gives the same bytes (a re-import is a duplicate).
    const a = deidentifyPart10(fixture('CT_small.dcm'), { secret: SECRET }).bytes;
    const b = deidentifyPart10(fixture('CT_small.dcm'), { secret: SECRET }).bytes;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('handles a deflated file: inflates, de-identifies, deflates again', () => {
    const planted = plant(fixture('CT_small.dcm'), phiElements({ explicitOnly: true }));
    const deflated = toDeflated(planted);
    expect(parseDicom(deflated).info.transferSyntax).toBe('1.2.840.10008.1.2.1.99');
    const { bytes } = deidentifyPart10(deflated, { secret: SECRET });
    const parsed = parseDicom(bytes);
    expect(parsed.info.transferSyntax).toBe('1.2.840.10008.1.2.1.99');
    expect(survivors(parsed.dataSet.byteArray)).toEqual([]);
    expect(survivors(bytes)).toEqual([]);
    expect(parsed.dataSet.string('x00120062')).toBe('YES');
    expect(pixelBytes(bytes).equals(pixelBytes(planted))).toBe(true);
  });

  it('refuses what it cannot rewrite with certainty, naming the problem', () => {
    const fail = (bytes: Uint8Array) => {
      try {
        deidentifyPart10(bytes, { secret: SECRET });
      } catch (err) {
        expect(err).toBeInstanceOf(DeidentifyError);
        return { code: (err as DeidentifyError).code, message: (err as Error).message };
      }
      throw new Error('expected a refusal');
    };
    expect(fail(fixture('MR_truncated.dcm'))).toMatchObject({ code: 'truncated', message: expect.stringMatching(/\(7FE0,0010\).*truncated/) });
    expect(fail(new Uint8Array(Buffer.from('just some text, not an image')))).toMatchObject({ code: 'not-dicom' });
    const ct = fixture('CT_small.dcm');
    const cut = ct.subarray(0, 1000);
    expect(fail(cut).code).toBe('truncated');
    const unknownSyntax = Buffer.from(ct);
    const at = unknownSyntax.indexOf(Buffer.from('1.2.840.10008.1.2.1\0'));
    unknownSyntax.write('1.2.840.99999.1.2.1\0', at, 'latin1');
    expect(fail(new Uint8Array(unknownSyntax))).toMatchObject({ code: 'unsupported', message: expect.stringMatching(/1\.2\.840\.99999\.1\.2\.1/) });
  });

  it('walks sequences stored as UN (implicit VR items) in explicit VR files', () => {
    const implicitElement = (tag: number, value: string) => {
      const v = Buffer.from(value.length % 2 ? `${value} ` : value, 'latin1');
      const b = Buffer.alloc(8);
      b.writeUInt16LE(tag >>> 16, 0);
      b.writeUInt16LE(tag & 0xffff, 2);
      b.writeUInt32LE(v.length, 4);
      return Buffer.concat([b, v]);
    };
    const header = (group: number, element: number, length: number) => {
      const b = Buffer.alloc(8);
      b.writeUInt16LE(group, 0);
      b.writeUInt16LE(element, 2);
      b.writeUInt32LE(length, 4);
      return b;
    };
    const definedItem = Buffer.concat([implicitElement(0x00081155, PLANTED_REFERENCED_UID), implicitElement(0x00100010, 'PHIUNDEFINEDLEN^ONE')]);
    const definedSeq = Buffer.concat([header(0xfffe, 0xe000, definedItem.length), definedItem]);
    const undefinedSeq = Buffer.concat([header(0xfffe, 0xe000, 0xffffffff), implicitElement(0x00080080, 'PHIUNINSTITUTION'), header(0xfffe, 0xe00d, 0), header(0xfffe, 0xe0dd, 0)]);
    const planted = plant(fixture('CT_small.dcm'), [
      { tag: 0x00081110, vr: 'UN', value: new Uint8Array(definedSeq) },
      { tag: 0x00081115, vr: 'UN', value: new Uint8Array(undefinedSeq), undefinedLength: true },
    ]);
    const tokens = ['PHIUNDEFINEDLEN', 'PHIUNINSTITUTION', PLANTED_REFERENCED_UID].map((x) => Buffer.from(x));
    expect(survivors(planted, tokens)).toHaveLength(3);
    const { bytes } = deidentifyPart10(planted, { secret: SECRET });
    expect(survivors(bytes, tokens)).toEqual([]);
    expect(Buffer.from(bytes).includes(Buffer.from(mapUid(SECRET, PLANTED_REFERENCED_UID)))).toBe(true);
    expect(parseDicom(bytes).dataSet.string('x00120062')).toBe('YES');
  });

  it('refuses an object whose pixels may show burned-in identifying text', () => {
    const planted = plant(fixture('MR_small.dcm'), [{ tag: 0x00280301, vr: 'CS', value: 'YES' }]);
    expect(() => deidentifyPart10(planted, { secret: SECRET })).toThrow(/Burned In Annotation \(0028,0301\) is YES/);
    const no = plant(fixture('MR_small.dcm'), [{ tag: 0x00280301, vr: 'CS', value: 'NO' }]);
    expect(parseDicom(deidentifyPart10(no, { secret: SECRET }).bytes).dataSet.string('x00280301')).toBe('NO');
  });

  it('documents an action for every attribute the brief names', () => {
    const named = [
      'PatientName', 'PatientID', 'PatientBirthDate', 'PatientBirthTime', 'PatientAddress', 'PatientTelephoneNumbers', 'OtherPatientIDs', 'OtherPatientIDsSequence',
      'OtherPatientNames', 'PatientMotherBirthName', 'MedicalRecordLocator', 'EthnicGroup', 'Occupation', 'AdditionalPatientHistory', 'PatientComments',
      'ReferringPhysicianName', 'ReferringPhysicianAddress', 'ReferringPhysicianTelephoneNumbers', 'PerformingPhysicianName', 'NameOfPhysiciansReadingStudy',
      'OperatorsName', 'PhysiciansOfRecord', 'RequestingPhysician', 'InstitutionName', 'InstitutionAddress', 'InstitutionalDepartmentName', 'StationName',
      'AccessionNumber', 'StudyID', 'StudyDescription', 'SeriesDescription', 'DeviceSerialNumber', 'RequestAttributesSequence', 'StudyInstanceUID',
      'SeriesInstanceUID', 'SOPInstanceUID', 'FrameOfReferenceUID',
    ];
    const keywords = new Set([...PROFILE.values()].map((e) => e.keyword));
    expect(named.filter((k) => !keywords.has(k))).toEqual([]);
  });
});

/** Tests only: the same file in Deflated Explicit VR Little Endian. */
function toDeflated(bytes: Uint8Array): Uint8Array {
  const { dataSetStart } = layoutOf(bytes);
  const meta = Buffer.from(bytes.subarray(0, dataSetStart));
  const explicit = Buffer.from('1.2.840.10008.1.2.1\0');
  const at = meta.indexOf(explicit);
  const newTs = Buffer.from('1.2.840.10008.1.2.1.99');
  // Replace the transfer syntax value (20 → 22 bytes): fix its length and the group length.
  const fixed = Buffer.concat([meta.subarray(0, at - 2), Buffer.from([newTs.length, 0]), newTs, meta.subarray(at + explicit.length)]);
  fixed.writeUInt32LE(fixed.readUInt32LE(140) + 2, 140);
  return new Uint8Array(Buffer.concat([fixed, zlib.deflateRawSync(bytes.subarray(dataSetStart))]));
}

describe('property: random planted element sets', () => {
  const textTags = [...PROFILE.entries()].filter(([tag, e]) => e.action !== 'U' && !['SQ', 'US', 'DS', 'AS'].includes(e.vr) && tag >>> 16 !== 0x0012 && tag !== 0x00280303);
  const fixtures = ['CT_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_RLE.dcm'].map((n) => ({ n, bytes: fixture(n) }));
  const element = fc.record({
    entry: fc.constantFrom(...textTags),
    token: fc.stringMatching(/^[A-Z]{6,10}$/).map((s) => `PHIZ${s}`),
  });
  const privateElement = fc.record({
    group: fc.integer({ min: 0x0009, max: 0x7fdf }).map((g) => g | 1),
    element: fc.integer({ min: 0x1000, max: 0x10ff }),
    token: fc.stringMatching(/^[A-Z]{6,10}$/).map((s) => `PHIP${s}`),
  });
  const plan = fc.record({
    fixture: fc.nat({ max: fixtures.length - 1 }),
    top: fc.uniqueArray(element, { selector: (e) => e.entry[0], maxLength: 12 }),
    nested: fc.uniqueArray(element, { selector: (e) => e.entry[0], maxLength: 6 }),
    privates: fc.uniqueArray(privateElement, { selector: (e) => (e.group << 16) | e.element, maxLength: 4 }),
    sequenceTag: fc.constantFrom(0x00081110, 0x00081115, 0x00082112, 0x00400275),
    undefinedLength: fc.boolean(),
    itemUndefined: fc.boolean(),
  });

  it('output parses and no planted string survives', () => {
    fc.assert(
      fc.property(plan, (p) => {
        const src = fixtures[p.fixture] as { bytes: Uint8Array };
        const asElement = (e: { entry: (typeof textTags)[number]; token: string }): PlantElement => ({ tag: e.entry[0], vr: e.entry[1].vr, value: e.token });
        const privates = p.privates.filter((x) => x.group !== 0x7fe1).map((x): PlantElement => ({ tag: ((x.group << 16) | x.element) >>> 0, vr: 'LO', value: x.token }));
        const inSequence = [...p.nested.map(asElement), ...privates.slice(0, 1)];
        const elements: PlantElement[] = [...p.top.map(asElement), ...privates];
        if (inSequence.length > 0) {
          elements.push({ tag: p.sequenceTag, vr: 'SQ', undefinedLength: p.undefinedLength, value: [{ elements: inSequence, undefinedLength: p.itemUndefined }] });
        }
        const planted = plant(src.bytes, elements);
        const tokens = [...p.top, ...p.nested].map((e) => Buffer.from(e.token)).concat(p.privates.map((x) => Buffer.from(x.token)));
        const { bytes } = deidentifyPart10(planted, { secret: SECRET });
        const parsed = parseDicom(bytes);
        expect(parsed.dataSet.string('x00120062')).toBe('YES');
        expect(survivors(bytes, tokens)).toEqual([]);
        expect(pixelBytes(bytes).equals(pixelBytes(planted))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

it('phi patterns are non-empty (guards the survivor search itself)', () => {
  phiElements();
  expect(phiPatterns().length).toBeGreaterThan(40);
  expect(survivors(new Uint8Array(Buffer.from(`xx${PHI_TOKENS[3]}yy`)))).toEqual([PHI_TOKENS[3]]);
});
