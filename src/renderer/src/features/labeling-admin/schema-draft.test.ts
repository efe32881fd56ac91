import { describe, expect, it } from 'vitest';
import { fromDraft, newClass, sameSchema, toDraft } from './schema-draft';

const schema = {
  classes: [{ name: 'nodule', color: '#ff4400', key: 'n', shapes: ['ellipse' as const], attributes: [{ name: 'confidence', type: 'option' as const, options: ['low', 'high'], required: true }] }],
  imageClasses: ['normal', 'abnormal'],
};

describe('schema editor draft', () => {
  it('round-trips a schema through the draft', () => {
    const back = fromDraft(toDraft(schema));
    expect(back).toEqual({ ok: true, schema });
    if (back.ok) expect(sameSchema(back.schema, schema)).toBe(true);
  });

  it('names the field of the first problem', () => {
    const draft = toDraft(schema);
    draft.classes.push({ ...newClass(draft.classes), name: 'mass', key: 'n' });
    expect(fromDraft(draft)).toEqual({ ok: false, problem: 'classes: each class needs its own key' });
    const noOptions = toDraft(schema);
    (noOptions.classes[0]?.attributes[0] as { options: string }).options = ' ';
    expect(fromDraft(noOptions)).toMatchObject({ ok: false, problem: 'classes.0.attributes.0.options: an option attribute lists its options; other types have none' });
  });

  it('gives a new class a free key', () => {
    expect(newClass(toDraft(schema).classes).key).toBe('a');
  });
});
