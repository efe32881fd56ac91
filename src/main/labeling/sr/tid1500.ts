import type { AnnotationDoc, Mark } from '../../../shared/labeling/marks';
import { newUid, part10, type El } from './dicom-writer';

/**
 * One DICOM Comprehensive SR instance per image: a TID 1500 "Imaging Measurement Report" of
 * the image's ground-truth annotation (issue 4 item 9).
 *
 * - Observation context: language (TID 1204), the person who wrote the version (TID 1002).
 * - Image library: the annotated image.
 * - Imaging measurements, one Measurement Group per mark:
 *   - rectangle, ellipse, freehand → TID 1410 Planar ROI: tracking id/UID, Finding (the class),
 *     SCOORD "Image Region" (rectangle and freehand as closed POLYGON, ellipse as ELLIPSE: major
 *     axis end points, then minor axis end points), NUM Area in mm² when the pixel spacing is known;
 *   - length and bidirectional → TID 1501 style: Finding, NUM Length (or Long/Short Axis) in mm
 *     when the spacing is known, each INFERRED FROM its SCOORD POLYLINE;
 *   - probe and arrow marks have no measurement template here and are left out (counted).
 * - The image class, if any, as a qualitative evaluation.
 * Coordinates are image pixel coordinates (column, row) with 0\0 at the top-left corner of the
 * top-left pixel, as DICOM SCOORD defines them and as marks store them. Classes are coded in the
 * private scheme `99MIDC` (value: `C` + schema order, meaning: the class name).
 */
export const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';

export interface SrSourceImage {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly studyInstanceUid: string;
  readonly frames: number;
  /** Patient and study attributes copied from the image (empty strings when it has none). */
  readonly patientName: string;
  readonly patientId: string;
  readonly patientBirthDate: string;
  readonly patientSex: string;
  readonly studyDate: string;
  readonly studyTime: string;
  readonly studyId: string;
  readonly accessionNumber: string;
  readonly referringPhysicianName: string;
}

export interface SrInput {
  readonly image: SrSourceImage;
  /** The ground-truth version, with measurements as main computed them (unit mm or px). */
  readonly doc: AnnotationDoc;
  readonly classes: readonly string[];
  readonly observer: string;
  readonly description: string;
  readonly seriesNumber: number;
  readonly now: Date;
}

export interface SrOutput {
  readonly bytes: Buffer;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly measurementGroups: number;
  /** Marks with no SR form here (probe, arrow). */
  readonly leftOut: number;
}

type Code = readonly [value: string, scheme: string, meaning: string];
const DCM = (value: string, meaning: string): Code => [value, 'DCM', meaning];
const SCT = (value: string, meaning: string): Code => [value, 'SCT', meaning];
const MM = ['mm', 'UCUM', 'millimeter'] as const;
const MM2 = ['mm2', 'UCUM', 'square millimeter'] as const;

const codeItem = ([value, scheme, meaning]: Code): El[] => [
  { tag: 0x00080100, vr: 'SH', value },
  { tag: 0x00080102, vr: 'SH', value: scheme },
  { tag: 0x00080104, vr: 'LO', value: meaning.slice(0, 64) },
];

function item(relationship: string, valueType: string, concept: Code | null, rest: El[]): El[] {
  return [
    { tag: 0x0040a010, vr: 'CS', value: relationship },
    { tag: 0x0040a040, vr: 'CS', value: valueType },
    ...(concept ? [{ tag: 0x0040a043, vr: 'SQ' as const, value: [codeItem(concept)] }] : []),
    ...rest,
  ];
}

const children = (list: El[][]): El[] => (list.length > 0 ? [{ tag: 0x0040a730, vr: 'SQ', value: list }] : []);
const container = (rel: string, concept: Code, list: El[][]): El[] => item(rel, 'CONTAINER', concept, [{ tag: 0x0040a050, vr: 'CS', value: 'SEPARATE' }, ...children(list)]);
const codeValue = (rel: string, concept: Code, value: Code): El[] => item(rel, 'CODE', concept, [{ tag: 0x0040a168, vr: 'SQ', value: [codeItem(value)] }]);

function imageRef(image: SrSourceImage, frame: number | null): El[] {
  return [
    {
      tag: 0x00081199,
      vr: 'SQ',
      value: [
        [
          { tag: 0x00081150, vr: 'UI', value: image.sopClassUid },
          { tag: 0x00081155, vr: 'UI', value: image.sopInstanceUid },
          ...(frame !== null ? [{ tag: 0x00081160, vr: 'IS' as const, value: String(frame + 1) }] : []),
        ],
      ],
    },
  ];
}

function scoord(rel: string, concept: Code | null, type: string, points: readonly (readonly [number, number])[], image: SrSourceImage, frame: number): El[] {
  return item(rel, 'SCOORD', concept, [
    { tag: 0x00700022, vr: 'FL', value: points.flatMap(([x, y]) => [x, y]) },
    { tag: 0x00700023, vr: 'CS', value: type },
    ...children([item('SELECTED FROM', 'IMAGE', null, imageRef(image, image.frames > 1 ? frame : null))]),
  ]);
}

function num(rel: string, concept: Code, value: number, unit: Code, inferredFrom: El[][]): El[] {
  return item(rel, 'NUM', concept, [
    {
      tag: 0x0040a300,
      vr: 'SQ',
      value: [
        [
          { tag: 0x004008ea, vr: 'SQ', value: [codeItem(unit)] },
          { tag: 0x0040a30a, vr: 'DS', value: [value] },
        ],
      ],
    },
    ...children(inferredFrom),
  ]);
}

const closed = (pts: readonly (readonly [number, number])[]) => [...pts, pts[0] as readonly [number, number]];

function measurementGroup(m: Mark, index: number, input: SrInput): El[] | null {
  const image = input.image;
  const mm = m.measurements?.unit === 'mm' ? m.measurements : null;
  const classIndex = input.classes.indexOf(m.class);
  const finding: Code = [`C${classIndex >= 0 ? classIndex + 1 : 0}`, '99MIDC', m.class];
  const head = [
    item('HAS OBS CONTEXT', 'TEXT', DCM('112039', 'Tracking Identifier'), [{ tag: 0x0040a160, vr: 'UT', value: `${m.id} (${index + 1})` }]),
    item('HAS OBS CONTEXT', 'UIDREF', DCM('112040', 'Tracking Unique Identifier'), [{ tag: 0x0040a124, vr: 'UI', value: newUid() }]),
    codeValue('CONTAINS', DCM('121071', 'Finding'), finding),
  ];
  const region = DCM('111030', 'Image Region');
  const group = (template: string, list: El[][]) =>
    item('CONTAINS', 'CONTAINER', DCM('125007', 'Measurement Group'), [
      { tag: 0x0040a050, vr: 'CS', value: 'SEPARATE' },
      { tag: 0x0040a504, vr: 'SQ', value: [[{ tag: 0x00080105, vr: 'CS', value: 'DCMR' }, { tag: 0x0040db00, vr: 'CS', value: template }]] },
      ...children([...head, ...list]),
    ]);
  switch (m.shape) {
    case 'rectangle': {
      const { x, y, width, height } = m.geometry;
      const pts: [number, number][] = [
        [x, y],
        [x + width, y],
        [x + width, y + height],
        [x, y + height],
      ];
      return group('1410', [scoord('CONTAINS', region, 'POLYGON', closed(pts), image, m.frame), ...(mm?.area !== undefined ? [num('CONTAINS', SCT('42798000', 'Area'), mm.area, MM2, [])] : [])]);
    }
    case 'freehand':
      return group('1410', [scoord('CONTAINS', region, 'POLYGON', closed(m.geometry.points), image, m.frame), ...(mm?.area !== undefined ? [num('CONTAINS', SCT('42798000', 'Area'), mm.area, MM2, [])] : [])]);
    case 'ellipse': {
      const { cx, cy, rx, ry } = m.geometry;
      const horizontal: [number, number][] = [
        [cx - rx, cy],
        [cx + rx, cy],
      ];
      const vertical: [number, number][] = [
        [cx, cy - ry],
        [cx, cy + ry],
      ];
      const pts = rx >= ry ? [...horizontal, ...vertical] : [...vertical, ...horizontal];
      return group('1410', [scoord('CONTAINS', region, 'ELLIPSE', pts, image, m.frame), ...(mm?.area !== undefined ? [num('CONTAINS', SCT('42798000', 'Area'), mm.area, MM2, [])] : [])]);
    }
    case 'length': {
      const line = scoord('INFERRED FROM', null, 'POLYLINE', [m.geometry.start, m.geometry.end], image, m.frame);
      return group('1501', [mm?.length !== undefined ? num('CONTAINS', SCT('410668003', 'Length'), mm.length, MM, [line]) : scoord('CONTAINS', region, 'POLYLINE', [m.geometry.start, m.geometry.end], image, m.frame)]);
    }
    case 'bidirectional': {
      const long = scoord('INFERRED FROM', null, 'POLYLINE', m.geometry.long, image, m.frame);
      const short = scoord('INFERRED FROM', null, 'POLYLINE', m.geometry.short, image, m.frame);
      if (mm?.longAxis === undefined || mm.shortAxis === undefined) return group('1501', [scoord('CONTAINS', region, 'POLYLINE', m.geometry.long, image, m.frame)]);
      return group('1501', [num('CONTAINS', SCT('103339001', 'Long Axis'), mm.longAxis, MM, [long]), num('CONTAINS', SCT('103340004', 'Short Axis'), mm.shortAxis, MM, [short])]);
    }
    default:
      return null;
  }
}

const da = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');
const tm = (d: Date) => d.toISOString().slice(11, 19).replace(/:/g, '');

export function measurementReport(input: SrInput): SrOutput {
  const { image, now } = input;
  const sopInstanceUid = newUid();
  const seriesInstanceUid = newUid();
  const groups: El[][] = [];
  let leftOut = 0;
  input.doc.marks.forEach((m, i) => {
    const g = measurementGroup(m, i, input);
    if (g) groups.push(g);
    else leftOut++;
  });
  const content: El[][] = [
    codeValue('HAS CONCEPT MOD', DCM('121049', 'Language of Content Item and Descendants'), ['eng', 'RFC5646', 'English']),
    codeValue('HAS OBS CONTEXT', DCM('121005', 'Observer Type'), DCM('121006', 'Person')),
    item('HAS OBS CONTEXT', 'PNAME', DCM('121008', 'Person Observer Name'), [{ tag: 0x0040a123, vr: 'PN', value: input.observer.slice(0, 64) }]),
    codeValue('HAS CONCEPT MOD', DCM('121058', 'Procedure reported'), SCT('363679005', 'Imaging procedure')),
    container('CONTAINS', DCM('111028', 'Image Library'), [container('CONTAINS', DCM('126200', 'Image Library Group'), [item('CONTAINS', 'IMAGE', null, imageRef(image, null))])]),
    container('CONTAINS', DCM('126010', 'Imaging Measurements'), groups),
    ...(input.doc.imageClass !== null
      ? [container('CONTAINS', ['C0034375', 'UMLS', 'Qualitative Evaluations'], [codeValue('CONTAINS', ['IMGCLASS', '99MIDC', 'Image class'], ['IMGCLASS', '99MIDC', input.doc.imageClass])])]
      : []),
  ];
  const dataset: El[] = [
    { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' },
    { tag: 0x00080016, vr: 'UI', value: COMPREHENSIVE_SR },
    { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00080020, vr: 'DA', value: image.studyDate },
    { tag: 0x00080023, vr: 'DA', value: da(now) },
    { tag: 0x00080030, vr: 'TM', value: image.studyTime },
    { tag: 0x00080033, vr: 'TM', value: tm(now) },
    { tag: 0x00080050, vr: 'SH', value: image.accessionNumber },
    { tag: 0x00080060, vr: 'CS', value: 'SR' },
    { tag: 0x00080070, vr: 'LO', value: 'MIDC' },
    { tag: 0x00080090, vr: 'PN', value: image.referringPhysicianName },
    { tag: 0x0008103e, vr: 'LO', value: input.description.slice(0, 64) },
    { tag: 0x00081111, vr: 'SQ', value: [] },
    { tag: 0x00100010, vr: 'PN', value: image.patientName },
    { tag: 0x00100020, vr: 'LO', value: image.patientId },
    { tag: 0x00100030, vr: 'DA', value: image.patientBirthDate },
    { tag: 0x00100040, vr: 'CS', value: image.patientSex },
    { tag: 0x0020000d, vr: 'UI', value: image.studyInstanceUid },
    { tag: 0x0020000e, vr: 'UI', value: seriesInstanceUid },
    { tag: 0x00200010, vr: 'SH', value: image.studyId },
    { tag: 0x00200011, vr: 'IS', value: String(input.seriesNumber) },
    { tag: 0x00200013, vr: 'IS', value: '1' },
    { tag: 0x0040a040, vr: 'CS', value: 'CONTAINER' },
    { tag: 0x0040a043, vr: 'SQ', value: [codeItem(DCM('126000', 'Imaging Measurement Report'))] },
    { tag: 0x0040a050, vr: 'CS', value: 'SEPARATE' },
    {
      tag: 0x0040a375,
      vr: 'SQ',
      value: [
        [
          { tag: 0x0020000d, vr: 'UI', value: image.studyInstanceUid },
          {
            tag: 0x00081115,
            vr: 'SQ',
            value: [
              [
                { tag: 0x0020000e, vr: 'UI', value: image.seriesInstanceUid },
                { tag: 0x00081199, vr: 'SQ', value: [[{ tag: 0x00081150, vr: 'UI', value: image.sopClassUid }, { tag: 0x00081155, vr: 'UI', value: image.sopInstanceUid }]] },
              ],
            ],
          },
        ],
      ],
    },
    { tag: 0x0040a372, vr: 'SQ', value: [] },
    { tag: 0x0040a491, vr: 'CS', value: 'COMPLETE' },
    { tag: 0x0040a493, vr: 'CS', value: 'UNVERIFIED' },
    { tag: 0x0040a504, vr: 'SQ', value: [[{ tag: 0x00080105, vr: 'CS', value: 'DCMR' }, { tag: 0x0040db00, vr: 'CS', value: '1500' }]] },
    { tag: 0x0040a730, vr: 'SQ', value: content },
  ];
  return { bytes: part10(COMPREHENSIVE_SR, sopInstanceUid, dataset), sopInstanceUid, seriesInstanceUid, measurementGroups: groups.length, leftOut };
}
