import { describe, expect, it } from 'vitest';
import { annotationDoc, measure, parsePixelSpacing, validateDoc, withMeasurements, type Mark } from './marks';
import { labelSchema } from './schema';

const schema = labelSchema.parse({
  classes: [
    {
      name: 'nodule',
      color: '#ff0000',
      key: 'n',
      shapes: ['ellipse', 'rectangle', 'length'],
      attributes: [
        { name: 'confidence', type: 'option', options: ['low', 'high'] },
        { name: 'note', type: 'text', required: false },
      ],
    },
    { name: 'mass', color: '#00ff00', key: 'm', shapes: ['freehand'] },
  ],
  imageClasses: ['normal', 'abnormal'],
});

describe('label schemas', () => {
  it('refuse duplicate classes or keys, options on a number and a bad colour', () => {
    const base = { name: 'a', color: '#000000', key: 'a', shapes: ['probe'] };
    expect(labelSchema.safeParse({ classes: [base, { ...base, key: 'b' }] }).success).toBe(false);
    expect(labelSchema.safeParse({ classes: [base, { ...base, name: 'b' }] }).success).toBe(false);
    expect(labelSchema.safeParse({ classes: [{ ...base, attributes: [{ name: 'x', type: 'number', options: ['1'] }] }] }).success).toBe(false);
    expect(labelSchema.safeParse({ classes: [{ ...base, attributes: [{ name: 'x', type: 'option' }] }] }).success).toBe(false);
    expect(labelSchema.safeParse({ classes: [{ ...base, color: 'red' }] }).success).toBe(false);
    expect(labelSchema.safeParse({ classes: [base], extra: 1 }).success).toBe(false);
  });
});

describe('annotation documents', () => {
  const ellipse = { id: 'm1', class: 'nodule', shape: 'ellipse', geometry: { cx: 10, cy: 10, rx: 4, ry: 2 }, attributes: { confidence: 'high' } };

  it('validate against the schema: class, shape, required and typed attributes, unique ids', () => {
    expect(validateDoc(schema, annotationDoc.parse({ marks: [ellipse], imageClass: 'abnormal' }))).toEqual([]);
    const bad = annotationDoc.parse({
      imageClass: 'weird',
      marks: [
        { ...ellipse, class: 'cyst' },
        { ...ellipse, id: 'm2', shape: 'probe', geometry: { point: [1, 1] } },
        { ...ellipse, id: 'm3', attributes: {} },
        { ...ellipse, id: 'm4', attributes: { confidence: 'medium', size: 3 } },
        { ...ellipse, id: 'm4' },
      ],
    });
    expect(validateDoc(schema, bad).map((i) => i.path)).toEqual([
      'imageClass',
      'marks.0.class',
      'marks.1.shape',
      'marks.2.attributes.confidence',
      'marks.3.attributes.size',
      'marks.3.attributes.confidence',
      'marks.4.id',
    ]);
  });

  it('refuse malformed geometry in the schema itself', () => {
    expect(annotationDoc.safeParse({ marks: [{ ...ellipse, geometry: { cx: 1, cy: 1, rx: 0, ry: 1 } }] }).success).toBe(false);
    expect(annotationDoc.safeParse({ marks: [{ ...ellipse, geometry: { cx: 1, cy: 1, rx: 1, ry: 1, angle: 3 } }] }).success).toBe(false);
    expect(annotationDoc.safeParse({ marks: [{ ...ellipse, shape: 'freehand', geometry: { points: [[0, 0], [1, 1]] } }] }).success).toBe(false);
    expect(annotationDoc.safeParse({ marks: [{ ...ellipse, geometry: { cx: Number.NaN, cy: 1, rx: 1, ry: 1 } }] }).success).toBe(false);
  });

  it('measure in mm with DICOM pixel spacing (row spacing along y, column spacing along x)', () => {
    const spacing = parsePixelSpacing('0.5\\0.25');
    expect(spacing).toEqual({ row: 0.5, column: 0.25 });
    const length = { id: 'l', class: 'nodule', shape: 'length', frame: 0, geometry: { start: [0, 0], end: [8, 6] }, attributes: {} } as Mark;
    // dx = 8·0.25 = 2 mm, dy = 6·0.5 = 3 mm.
    expect(measure(length, spacing)).toEqual({ unit: 'mm', length: Math.hypot(2, 3) });
    expect(measure(length, null)).toEqual({ unit: 'px', length: 10 });
    const e = annotationDoc.parse({ marks: [ellipse] }).marks[0] as Mark;
    expect(measure(e, spacing).area).toBeCloseTo(Math.PI * 4 * 2 * 0.125, 12);
    const doc = withMeasurements(annotationDoc.parse({ marks: [{ ...ellipse, measurements: { unit: 'px', area: 1 } }] }), spacing);
    expect(doc.marks[0]?.measurements).toEqual({ unit: 'mm', area: expect.closeTo(Math.PI, 12) });
    expect(parsePixelSpacing('abc')).toBeNull();
    expect(parsePixelSpacing(null)).toBeNull();
  });
});
