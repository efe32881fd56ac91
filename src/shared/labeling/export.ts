import { markBbox, markPolygon, polygonArea } from './geometry';
import type { GroundTruthSource } from './ground-truth';
import type { AnnotationDoc } from './marks';
import { isAreaShape, type LabelSchema } from './schema';

/**
 * Export of a dataset's current ground truth (DESIGN §2.2): COCO JSON and CSV, as text (the
 * renderer saves it where the user chooses). Images without ground truth are left out and
 * counted, because listing them would read as "no lesion". DICOM SR TID 1500 is not done.
 */
export interface ExportImage {
  readonly id: number;
  readonly fileName: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly sopInstanceUid: string | null;
  readonly source: GroundTruthSource;
  readonly annotationId: number;
  readonly schemaVersion: number;
  readonly doc: AnnotationDoc;
}

export interface ExportInput {
  readonly datasetName: string;
  readonly schema: LabelSchema;
  readonly schemaVersion: number;
  readonly createdAt: string;
  readonly images: readonly ExportImage[];
}

/** Category ids are 1-based in the latest schema's class order; classes only older versions had follow. */
function categories(input: ExportInput): Map<string, number> {
  const names = input.schema.classes.map((c) => c.name);
  for (const img of input.images) for (const m of img.doc.marks) if (!names.includes(m.class)) names.push(m.class);
  return new Map(names.map((n, i) => [n, i + 1]));
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/**
 * COCO detection format. Area marks become annotations with `bbox` [x,y,w,h],
 * `segmentation` (one polygon; an ellipse as its 64-gon) and `area` (polygon area in px²).
 * Marks without an area (length, bidirectional, probe, arrow) have no COCO form: they go to
 * `midc_marks`, which COCO readers ignore. Image classes go to `midc_image_classes`.
 */
export function toCoco(input: ExportInput): string {
  const cats = categories(input);
  const annotations: unknown[] = [];
  const other: unknown[] = [];
  const imageClasses: unknown[] = [];
  let nextId = 1;
  for (const img of input.images) {
    if (img.doc.imageClass !== null) imageClasses.push({ image_id: img.id, class: img.doc.imageClass });
    for (const m of img.doc.marks) {
      const midc = {
        mark_id: m.id,
        shape: m.shape,
        frame: m.frame,
        source: img.source,
        annotation_version: img.annotationId,
        schema_version: img.schemaVersion,
        measurements: m.measurements ?? null,
      };
      const polygon = markPolygon(m);
      if (polygon && isAreaShape(m.shape)) {
        annotations.push({
          id: nextId++,
          image_id: img.id,
          category_id: cats.get(m.class),
          bbox: markBbox(m).map(round),
          area: round(polygonArea(polygon)),
          segmentation: [polygon.flatMap(([x, y]) => [round(x), round(y)])],
          iscrowd: 0,
          attributes: m.attributes,
          midc,
        });
      } else {
        other.push({ image_id: img.id, class: m.class, geometry: m.geometry, attributes: m.attributes, text: m.text ?? null, ...midc });
      }
    }
  }
  const coco = {
    info: {
      description: `${input.datasetName}: current ground truth (newest gold standard, else accepted annotation)`,
      version: `schema ${input.schemaVersion}`,
      year: Number(input.createdAt.slice(0, 4)),
      contributor: 'MIDC',
      date_created: input.createdAt,
    },
    licenses: [],
    images: input.images.map((img) => ({
      id: img.id,
      file_name: img.fileName,
      width: img.width,
      height: img.height,
      ...(img.sopInstanceUid ? { midc_sop_instance_uid: img.sopInstanceUid } : {}),
    })),
    categories: [...cats].map(([name, id]) => ({ id, name, supercategory: 'lesion' })),
    annotations,
    midc_marks: other,
    midc_image_classes: imageClasses,
  };
  return JSON.stringify(coco, null, 2);
}

export const CSV_COLUMNS = [
  'image_id',
  'file_name',
  'sop_instance_uid',
  'source',
  'annotation_version',
  'schema_version',
  'mark_id',
  'class',
  'shape',
  'frame',
  'bbox_x',
  'bbox_y',
  'bbox_w',
  'bbox_h',
  'area_px',
  'geometry',
  'attributes',
  'measurements',
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One row per mark (geometry as JSON in image pixels); an image class is a row with shape
 * `image`; an image whose ground truth has neither is one row with empty class and shape
 * (reviewed, nothing found). CRLF line ends (RFC 4180).
 */
export function toCsv(input: ExportInput): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const img of input.images) {
    const head = [img.id, img.fileName, img.sopInstanceUid, img.source, img.annotationId, img.schemaVersion];
    const line = (cells: (string | number | null | undefined)[]) => rows.push(cells.map(csvField).join(','));
    if (img.doc.imageClass !== null) line([...head, null, img.doc.imageClass, 'image', null, null, null, null, null, null, null, null, null]);
    for (const m of img.doc.marks) {
      const [x, y, w, h] = markBbox(m).map(round) as [number, number, number, number];
      const polygon = markPolygon(m);
      line([
        ...head,
        m.id,
        m.class,
        m.shape,
        m.frame,
        x,
        y,
        w,
        h,
        polygon ? round(polygonArea(polygon)) : null,
        JSON.stringify(m.geometry),
        JSON.stringify(m.attributes),
        m.measurements ? JSON.stringify(m.measurements) : null,
      ]);
    }
    if (img.doc.imageClass === null && img.doc.marks.length === 0) line([...head, null, null, null, null, null, null, null, null, null, null, null, null]);
  }
  return `${rows.join('\r\n')}\r\n`;
}
