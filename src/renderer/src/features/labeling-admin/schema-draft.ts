import { labelSchema, type LabelSchema, type ShapeType } from '../../../../shared/labeling';

/** The schema editor's working copy: option lists stay text while typed. */
export interface AttributeDraft {
  name: string;
  type: 'number' | 'text' | 'option';
  options: string;
  required: boolean;
}
export interface ClassDraft {
  name: string;
  color: string;
  key: string;
  shapes: ShapeType[];
  attributes: AttributeDraft[];
}
export interface SchemaDraft {
  classes: ClassDraft[];
  imageClasses: string;
}

const splitList = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

export function toDraft(schema: LabelSchema): SchemaDraft {
  return {
    classes: schema.classes.map((c) => ({
      name: c.name,
      color: c.color,
      key: c.key,
      shapes: [...c.shapes],
      attributes: c.attributes.map((a) => ({ name: a.name, type: a.type, options: a.options.join(', '), required: a.required })),
    })),
    imageClasses: schema.imageClasses.join(', '),
  };
}

/** The draft as a label schema, or the first problem with its path (`classes.1.key: one lower-case letter or digit`). */
export function fromDraft(draft: SchemaDraft): { ok: true; schema: LabelSchema } | { ok: false; problem: string } {
  const parsed = labelSchema.safeParse({
    classes: draft.classes.map((c) => ({
      name: c.name,
      color: c.color,
      key: c.key,
      shapes: c.shapes,
      attributes: c.attributes.map((a) => ({ name: a.name, type: a.type, options: a.type === 'option' ? splitList(a.options) : [], required: a.required })),
    })),
    imageClasses: splitList(draft.imageClasses),
  });
  if (parsed.success) return { ok: true, schema: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: issue ? `${issue.path.join('.') || 'schema'}: ${issue.message}` : 'invalid' };
}

export function sameSchema(a: LabelSchema, b: LabelSchema): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const PALETTE = ['#ff4400', '#0072b2', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

export function newClass(existing: readonly ClassDraft[]): ClassDraft {
  const used = new Set(existing.map((c) => c.key));
  const key = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('').find((k) => !used.has(k)) ?? 'z';
  return { name: '', color: PALETTE[existing.length % PALETTE.length] as string, key, shapes: ['ellipse'], attributes: [] };
}
