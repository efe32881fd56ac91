import { z } from 'zod';
import type { LabelSchema, ShapeType } from './schema';

/**
 * Marks: what an annotator draws. Geometry is in image pixel coordinates of the stored image
 * (x to the right, y down, origin at the top-left corner of the top-left pixel), so that it
 * survives any zoom, pan or window/level of the viewer. Measurements are derived from the
 * geometry and the pixel spacing by `measure` (main recomputes them on every save; a value a
 * client sends is replaced), so the geometry is the one source of truth of a mark.
 */

const coord = z.number().finite().min(-1e6).max(1e6);
export const point = z.tuple([coord, coord]);
export type Point = readonly [number, number];
const extent = z.number().finite().gt(0).max(1e6);

export const geometries = {
  /** Axis-aligned box: top-left corner and size. */
  rectangle: z.strictObject({ x: coord, y: coord, width: extent, height: extent }),
  /** Axis-aligned ellipse: centre and semi-axes (cornerstone's EllipticalRoi is axis-aligned). */
  ellipse: z.strictObject({ cx: coord, cy: coord, rx: extent, ry: extent }),
  /** Closed polygon, vertices in drawing order (the last joins the first). */
  freehand: z.strictObject({ points: z.array(point).min(3).max(10_000) }),
  length: z.strictObject({ start: point, end: point }),
  /** Long axis and the short axis across it (RECIST). */
  bidirectional: z.strictObject({ long: z.tuple([point, point]), short: z.tuple([point, point]) }),
  probe: z.strictObject({ point }),
  /** `end` is the tip. */
  arrow: z.strictObject({ start: point, end: point }),
} satisfies Record<ShapeType, z.ZodType>;

export type Geometry<S extends ShapeType = ShapeType> = z.output<(typeof geometries)[S]>;

/** Derived sizes; `unit` is mm when the image's pixel spacing is known, else px. */
export interface Measurements {
  readonly unit: 'mm' | 'px';
  /** rectangle, ellipse, freehand: mm² or px². */
  readonly area?: number;
  /** length, arrow: the segment; freehand: the perimeter. */
  readonly length?: number;
  /** bidirectional. */
  readonly longAxis?: number;
  readonly shortAxis?: number;
}

const measurements = z.strictObject({
  unit: z.enum(['mm', 'px']),
  area: z.number().finite().optional(),
  length: z.number().finite().optional(),
  longAxis: z.number().finite().optional(),
  shortAxis: z.number().finite().optional(),
});

const attributeValue = z.union([z.string().max(1000), z.number().finite()]);

function markOf<S extends ShapeType>(shape: S) {
  return z.strictObject({
    /** Stable id chosen by the client (cornerstone's annotation UID); unique within a version. */
    id: z.string().min(1).max(64),
    class: z.string().trim().min(1).max(100),
    shape: z.literal(shape),
    /** Frame of a multi-frame image, 0-based. */
    frame: z.number().int().min(0).max(100_000).default(0),
    geometry: geometries[shape],
    attributes: z.record(z.string().min(1).max(100), attributeValue).default({}),
    /** Free text (the arrow's label, a note). */
    text: z.string().max(2000).optional(),
    /** Accepted for round-trips but recomputed by main from the geometry. */
    measurements: measurements.optional(),
  });
}

export const mark = z.discriminatedUnion('shape', [
  markOf('rectangle'),
  markOf('ellipse'),
  markOf('freehand'),
  markOf('length'),
  markOf('bidirectional'),
  markOf('probe'),
  markOf('arrow'),
]);
export type MarkInput = z.input<typeof mark>;
export type Mark = z.output<typeof mark>;

/** The full annotation state of one image, as saved by autosave and stored per version. */
export const annotationDoc = z.strictObject({
  /** One of the schema's image classes, or null when none is given. */
  imageClass: z.string().trim().min(1).max(100).nullable().default(null),
  marks: z.array(mark).max(2000),
});
export type AnnotationDocInput = z.input<typeof annotationDoc>;
export type AnnotationDoc = z.output<typeof annotationDoc>;

export interface DocIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Checks a document against a label schema: every class exists, its shape is allowed, every
 * required attribute is present with the right type, option values are among the options, no
 * unknown attribute, ids unique, the image class is one of the schema's. Returns every issue
 * (empty = valid), for the renderer to point at the offending mark.
 */
export function validateDoc(schema: LabelSchema, doc: AnnotationDoc): DocIssue[] {
  const issues: DocIssue[] = [];
  const classes = new Map(schema.classes.map((c) => [c.name, c]));
  if (doc.imageClass !== null && !schema.imageClasses.includes(doc.imageClass)) {
    issues.push({ path: 'imageClass', message: `"${doc.imageClass}" is not an image class of the schema` });
  }
  const seen = new Set<string>();
  doc.marks.forEach((m, i) => {
    const at = `marks.${i}`;
    if (seen.has(m.id)) issues.push({ path: `${at}.id`, message: `duplicate mark id "${m.id}"` });
    seen.add(m.id);
    const cls = classes.get(m.class);
    if (!cls) {
      issues.push({ path: `${at}.class`, message: `"${m.class}" is not a class of the schema` });
      return;
    }
    if (!cls.shapes.includes(m.shape)) {
      issues.push({ path: `${at}.shape`, message: `class "${m.class}" does not allow ${m.shape} marks` });
    }
    const defs = new Map(cls.attributes.map((a) => [a.name, a]));
    for (const key of Object.keys(m.attributes)) {
      if (!defs.has(key)) issues.push({ path: `${at}.attributes.${key}`, message: `class "${m.class}" has no attribute "${key}"` });
    }
    for (const def of cls.attributes) {
      const value = m.attributes[def.name];
      const p = `${at}.attributes.${def.name}`;
      if (value === undefined || value === '') {
        if (def.required) issues.push({ path: p, message: `"${def.name}" is required for class "${m.class}"` });
        continue;
      }
      if (def.type === 'number' && typeof value !== 'number') issues.push({ path: p, message: `"${def.name}" must be a number` });
      if (def.type === 'text' && typeof value !== 'string') issues.push({ path: p, message: `"${def.name}" must be text` });
      if (def.type === 'option' && !(typeof value === 'string' && def.options.includes(value))) {
        issues.push({ path: p, message: `"${def.name}" must be one of: ${def.options.join(', ')}` });
      }
    }
  });
  return issues;
}

/** DICOM Pixel Spacing (0028,0030): row spacing (between rows, i.e. along y) then column spacing (along x), in mm. */
export interface PixelSpacing {
  readonly row: number;
  readonly column: number;
}

/** Parses the stored `row\column` string; null when absent or not two positive numbers. */
export function parsePixelSpacing(value: string | null | undefined): PixelSpacing | null {
  if (!value) return null;
  const [row, column] = value.split('\\').map(Number);
  return row !== undefined && column !== undefined && row > 0 && column > 0 && Number.isFinite(row) && Number.isFinite(column)
    ? { row, column }
    : null;
}

function distance(a: Point, b: Point, s: PixelSpacing | null): number {
  const dx = (b[0] - a[0]) * (s ? s.column : 1);
  const dy = (b[1] - a[1]) * (s ? s.row : 1);
  return Math.hypot(dx, dy);
}

function shoelace(points: readonly Point[]): number {
  let twice = 0;
  for (let i = 0; i < points.length; i++) {
    const a = points[i] as Point;
    const b = points[(i + 1) % points.length] as Point;
    twice += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(twice) / 2;
}

/**
 * Sizes of a mark from its geometry, in mm (mm²) when the pixel spacing is known, else in
 * pixels. Areas are exact for rectangles and ellipses (πab, not the polygon used for IoU).
 */
export function measure(m: Mark, spacing: PixelSpacing | null): Measurements {
  const unit = spacing ? 'mm' : 'px';
  const px2 = spacing ? spacing.row * spacing.column : 1;
  switch (m.shape) {
    case 'rectangle':
      return { unit, area: m.geometry.width * m.geometry.height * px2 };
    case 'ellipse':
      return { unit, area: Math.PI * m.geometry.rx * m.geometry.ry * px2 };
    case 'freehand': {
      const pts = m.geometry.points as readonly Point[];
      let perimeter = 0;
      for (let i = 0; i < pts.length; i++) perimeter += distance(pts[i] as Point, pts[(i + 1) % pts.length] as Point, spacing);
      return { unit, area: shoelace(pts) * px2, length: perimeter };
    }
    case 'length':
    case 'arrow':
      return { unit, length: distance(m.geometry.start, m.geometry.end, spacing) };
    case 'bidirectional':
      return {
        unit,
        longAxis: distance(m.geometry.long[0], m.geometry.long[1], spacing),
        shortAxis: distance(m.geometry.short[0], m.geometry.short[1], spacing),
      };
    case 'probe':
      return { unit };
  }
}

/** The document as stored: measurements recomputed for every mark. */
export function withMeasurements(doc: AnnotationDoc, spacing: PixelSpacing | null): AnnotationDoc {
  return { imageClass: doc.imageClass, marks: doc.marks.map((m) => ({ ...m, measurements: measure(m, spacing) })) };
}
