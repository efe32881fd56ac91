import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LabelingSummaryView } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { SHAPE_TYPES } from '../../../../shared/labeling';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { formatDateTime } from '../../ui/format';
import { useLabelingAdminStore } from './admin-store';
import { Markdown } from './Markdown';
import { fromDraft, newClass, sameSchema, toDraft, type AttributeDraft, type ClassDraft, type SchemaDraft } from './schema-draft';

function AttributeRow({ a, i, j, onChange, onRemove }: { a: AttributeDraft; i: number; j: number; onChange(a: AttributeDraft): void; onRemove(): void }) {
  const { t } = useTranslation();
  return (
    <div className="form-row la-attr">
      <input aria-label={t('labelingAdmin.attrName')} placeholder={t('labelingAdmin.attrName')} data-testid={`schema-attr-name-${i}-${j}`} value={a.name} onChange={(e) => onChange({ ...a, name: e.target.value })} />
      <select aria-label={t('labelingAdmin.attrType')} data-testid={`schema-attr-type-${i}-${j}`} value={a.type} onChange={(e) => onChange({ ...a, type: e.target.value as AttributeDraft['type'] })}>
        {(['number', 'text', 'option'] as const).map((ty) => (
          <option key={ty} value={ty}>
            {t(`labelingAdmin.attrTypes.${ty}`)}
          </option>
        ))}
      </select>
      {a.type === 'option' && (
        <input aria-label={t('labelingAdmin.attrOptions')} placeholder={t('labelingAdmin.attrOptions')} data-testid={`schema-attr-options-${i}-${j}`} value={a.options} onChange={(e) => onChange({ ...a, options: e.target.value })} />
      )}
      <label className="checkbox">
        <input type="checkbox" data-testid={`schema-attr-required-${i}-${j}`} checked={a.required} onChange={(e) => onChange({ ...a, required: e.target.checked })} />
        {t('labelingAdmin.attrRequired')}
      </label>
      <button type="button" className="btn" onClick={onRemove} aria-label={t('labelingAdmin.remove')}>
        ×
      </button>
    </div>
  );
}

function ClassRow({ c, i, onChange, onRemove }: { c: ClassDraft; i: number; onChange(c: ClassDraft): void; onRemove(): void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="la-class" data-testid={`schema-class-${i}`}>
      <legend>{c.name || t('labelingAdmin.newClass')}</legend>
      <div className="form-row">
        <label className="field">
          <span>{t('labelingAdmin.className')}</span>
          <input data-testid={`schema-class-name-${i}`} value={c.name} onChange={(e) => onChange({ ...c, name: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('labelingAdmin.classColor')}</span>
          <input type="color" data-testid={`schema-class-color-${i}`} value={c.color} onChange={(e) => onChange({ ...c, color: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('labelingAdmin.classKey')}</span>
          <input data-testid={`schema-class-key-${i}`} maxLength={1} size={2} value={c.key} onChange={(e) => onChange({ ...c, key: e.target.value.toLowerCase() })} />
        </label>
        <button type="button" className="btn" data-testid={`schema-remove-class-${i}`} onClick={onRemove}>
          {t('labelingAdmin.removeClass')}
        </button>
      </div>
      <div className="form-row" role="group" aria-label={t('labelingAdmin.shapes')}>
        <span className="muted">{t('labelingAdmin.shapes')}</span>
        {SHAPE_TYPES.map((s) => (
          <label key={s} className="checkbox">
            <input
              type="checkbox"
              data-testid={`schema-class-shape-${i}-${s}`}
              checked={c.shapes.includes(s)}
              onChange={(e) => onChange({ ...c, shapes: e.target.checked ? SHAPE_TYPES.filter((x) => x === s || c.shapes.includes(x)) : c.shapes.filter((x) => x !== s) })}
            />
            {t(`workspace.shapes.${s}`)}
          </label>
        ))}
      </div>
      <div>
        <span className="muted">{t('labelingAdmin.attributes')}</span>
        {c.attributes.map((a, j) => (
          <AttributeRow
            key={j}
            a={a}
            i={i}
            j={j}
            onChange={(next) => onChange({ ...c, attributes: c.attributes.map((x, k) => (k === j ? next : x)) })}
            onRemove={() => onChange({ ...c, attributes: c.attributes.filter((_, k) => k !== j) })}
          />
        ))}
        <button type="button" className="btn" data-testid={`schema-attr-add-${i}`} onClick={() => onChange({ ...c, attributes: [...c.attributes, { name: '', type: 'text', options: '', required: true }] })}>
          {t('labelingAdmin.addAttribute')}
        </button>
      </div>
    </fieldset>
  );
}

/**
 * The labeling summary: guidelines (markdown, with a live preview) and the label schema.
 * Saving makes a new summary version; annotations keep the version they were drawn with.
 * An expert (without the labeling-admin role) edits the guidelines only.
 */
export function SummaryEditor({ summary, canEditSchema }: { summary: LabelingSummaryView | null; canEditSchema: boolean }) {
  const { t, i18n } = useTranslation();
  const save = useLabelingAdminStore((s) => s.saveSummary);
  const [guidelines, setGuidelines] = useState(summary?.guidelines ?? '');
  const [draft, setDraft] = useState<SchemaDraft>(summary ? toDraft(summary.schema) : { classes: [newClass([])], imageClasses: '' });
  const [error, setError] = useState<ErrorData | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setGuidelines(summary?.guidelines ?? '');
    if (summary) setDraft(toDraft(summary.schema));
  }, [summary]);

  const submit = async () => {
    setError(null);
    setSaved(false);
    let schema;
    if (canEditSchema) {
      const parsed = fromDraft(draft);
      if (!parsed.ok) {
        setError({ code: 'VALIDATION', message: `${t('labelingAdmin.schemaInvalid')}: ${parsed.problem}` });
        return;
      }
      schema = summary && sameSchema(parsed.schema, summary.schema) ? undefined : parsed.schema;
    }
    setBusy(true);
    const outcome = await save(guidelines, schema);
    setBusy(false);
    if (!outcome.ok) setError(outcome.error);
    else setSaved(true);
  };

  return (
    <section className="card" data-testid="summary-editor">
      <h3>
        {t('labelingAdmin.summaryTitle')}{' '}
        <span className="muted" data-testid="summary-version">
          {summary ? t('labelingAdmin.summaryVersion', { version: summary.version, at: formatDateTime(summary.createdAt, i18n.language), by: summary.createdBy ?? '—' }) : t('labelingAdmin.noSummary')}
        </span>
      </h3>
      <div className="la-guidelines">
        <label className="field">
          <span>{t('labelingAdmin.guidelines')}</span>
          <textarea data-testid="summary-guidelines" rows={10} className="mono" value={guidelines} onChange={(e) => setGuidelines(e.target.value)} />
        </label>
        <div className="field">
          <span>{t('labelingAdmin.preview')}</span>
          <Markdown source={guidelines} testId="summary-preview" />
        </div>
      </div>
      {canEditSchema ? (
        <div data-testid="schema-editor">
          <h4>{t('labelingAdmin.schemaEditor')}</h4>
          {draft.classes.map((c, i) => (
            <ClassRow
              key={i}
              c={c}
              i={i}
              onChange={(next) => setDraft({ ...draft, classes: draft.classes.map((x, k) => (k === i ? next : x)) })}
              onRemove={() => setDraft({ ...draft, classes: draft.classes.filter((_, k) => k !== i) })}
            />
          ))}
          <button type="button" className="btn" data-testid="schema-add-class" onClick={() => setDraft({ ...draft, classes: [...draft.classes, newClass(draft.classes)] })}>
            {t('labelingAdmin.addClass')}
          </button>
          <label className="field">
            <span>{t('labelingAdmin.imageClasses')}</span>
            <input data-testid="schema-image-classes" value={draft.imageClasses} onChange={(e) => setDraft({ ...draft, imageClasses: e.target.value })} />
          </label>
        </div>
      ) : (
        summary && (
          <ul className="la-schema-readonly" data-testid="schema-readonly">
            {summary.schema.classes.map((c) => (
              <li key={c.name}>
                <svg width={10} height={10} aria-hidden="true">
                  <rect width={10} height={10} fill={c.color} />
                </svg>{' '}
                {c.name} [{c.key}] · {c.shapes.map((s) => t(`workspace.shapes.${s}`)).join(', ')}
              </li>
            ))}
          </ul>
        )
      )}
      <p className="muted">{t('labelingAdmin.versionNote')}</p>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {saved && (
        <p className="notice notice-ok" role="status" data-testid="summary-saved">
          {t('labelingAdmin.summarySaved')}
        </p>
      )}
      <button type="button" className="btn btn-primary" data-testid="summary-save" disabled={busy} onClick={() => void submit()}>
        {canEditSchema ? t('labelingAdmin.saveSummary') : t('labelingAdmin.saveGuidelines')}
      </button>
    </section>
  );
}
