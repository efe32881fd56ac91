import { z } from 'zod';

/**
 * The label schema of a labeling dataset (DESIGN §2.2): lesion classes with their colour,
 * keyboard key, allowed shapes and attributes, plus optional image-level classes. It is part
 * of the labeling summary, which is versioned: every change is a new summary version and an
 * annotation keeps the version it was made with, so a schema change never rewrites old work.
 */

/** The Cornerstone lesion tools a class may allow (cornerstone-tools names in brackets). */
export const SHAPE_TYPES = [
  'rectangle', // RectangleRoi: axis-aligned box
  'ellipse', // EllipticalRoi: axis-aligned ellipse
  'freehand', // FreehandRoi: closed polygon
  'length', // Length: a segment
  'bidirectional', // Bidirectional: long and short axis
  'probe', // Probe: one point
  'arrow', // ArrowAnnotate: an arrow with text
] as const;
export type ShapeType = (typeof SHAPE_TYPES)[number];

/** Shapes that enclose a region: the only ones IoU/Dice, COCO segmentation and area apply to. */
export const AREA_SHAPES: readonly ShapeType[] = ['rectangle', 'ellipse', 'freehand'];
export function isAreaShape(shape: ShapeType): boolean {
  return AREA_SHAPES.includes(shape);
}

const name = z.string().trim().min(1).max(100);

export const attributeDef = z
  .strictObject({
    name,
    type: z.enum(['number', 'text', 'option']),
    /** The allowed values of an `option` attribute; empty for the other types. */
    options: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
    /** A mark of the class cannot be saved without it. */
    required: z.boolean().default(true),
  })
  .refine((a) => (a.type === 'option') === a.options.length > 0, {
    message: 'an option attribute lists its options; other types have none',
    path: ['options'],
  })
  .refine((a) => new Set(a.options).size === a.options.length, { message: 'options must be unique', path: ['options'] });
export type AttributeDef = z.output<typeof attributeDef>;

export const labelClass = z
  .strictObject({
    name,
    /** `#rrggbb`, shown on the mark and the class list. */
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #ff8800'),
    /** The keyboard key that gives the selected mark this class: one letter or digit. */
    key: z.string().regex(/^[a-z0-9]$/, 'one lower-case letter or digit'),
    shapes: z.array(z.enum(SHAPE_TYPES)).min(1).max(SHAPE_TYPES.length),
    attributes: z.array(attributeDef).max(20).default([]),
  })
  .refine((c) => new Set(c.shapes).size === c.shapes.length, { message: 'shapes must be unique', path: ['shapes'] })
  .refine((c) => new Set(c.attributes.map((a) => a.name)).size === c.attributes.length, {
    message: 'attribute names must be unique',
    path: ['attributes'],
  });
export type LabelClass = z.output<typeof labelClass>;

export const labelSchema = z
  .strictObject({
    classes: z.array(labelClass).min(1).max(100),
    /**
     * Image-level classes (e.g. normal / benign / malignant): one per image, optional. Cohen's
     * kappa between annotators is computed on these.
     */
    imageClasses: z.array(name).max(50).default([]),
  })
  .refine((s) => new Set(s.classes.map((c) => c.name.toLowerCase())).size === s.classes.length, {
    message: 'class names must be unique',
    path: ['classes'],
  })
  .refine((s) => new Set(s.classes.map((c) => c.key)).size === s.classes.length, {
    message: 'each class needs its own key',
    path: ['classes'],
  })
  .refine((s) => new Set(s.imageClasses).size === s.imageClasses.length, { message: 'image classes must be unique', path: ['imageClasses'] });
export type LabelSchema = z.output<typeof labelSchema>;
export type LabelSchemaInput = z.input<typeof labelSchema>;
