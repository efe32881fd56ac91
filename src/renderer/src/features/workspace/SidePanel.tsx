import { useTranslation } from 'react-i18next';
import { measure, type LabelClass, type Mark, type PixelSpacing } from '../../../../shared/labeling';
import { viewerService } from '../viewer/viewer-service';
import { useViewerStore } from '../viewer/viewer-store';
import { parseImageId } from '../viewer/image-id';
import { classesOf, isEditable, useWorkspaceStore } from './workspace-store';

const fmt = (v: number | undefined) => (v === undefined ? '' : v.toFixed(1));

function MeasureText({ mark, spacing }: { mark: Mark; spacing: PixelSpacing | null }) {
  const { t } = useTranslation();
  const m = measure(mark, spacing);
  if (m.area !== undefined) return <>{t('workspace.measure.area', { value: fmt(m.area), unit: m.unit })}</>;
  if (m.longAxis !== undefined) return <>{t('workspace.measure.axes', { long: fmt(m.longAxis), short: fmt(m.shortAxis), unit: m.unit })}</>;
  if (m.length !== undefined) return <>{t('workspace.measure.length', { value: fmt(m.length), unit: m.unit })}</>;
  return null;
}

/** The schema's attributes of the selected mark's class (required ones must be filled to save). */
function AttributeEditor({ mark, cls, editable }: { mark: Mark; cls: LabelClass; editable: boolean }) {
  const { t } = useTranslation();
  const setAttribute = useWorkspaceStore((s) => s.setAttribute);
  if (cls.attributes.length === 0) return null;
  return (
    <div className="ws-attributes" data-testid="mark-attributes">
      {cls.attributes.map((a) => {
        const value = mark.attributes[a.name];
        const label = `${a.name}${a.required ? ' *' : ''}`;
        const missing = a.required && (value === undefined || value === '');
        return (
          <label key={a.name} className={`field ws-attribute${missing ? ' ws-missing' : ''}`}>
            <span>{label}</span>
            {a.type === 'option' ? (
              <select
                data-testid={`attr-${a.name}`}
                disabled={!editable}
                value={value === undefined ? '' : String(value)}
                onChange={(e) => {
                  setAttribute(mark.id, a.name, e.target.value || null);
                  // Hand the keyboard back to the workspace shortcuts (class keys, undo...).
                  e.target.blur();
                }}
              >
                <option value="">{t('workspace.attributes.none')}</option>
                {a.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                data-testid={`attr-${a.name}`}
                disabled={!editable}
                type={a.type === 'number' ? 'number' : 'text'}
                defaultValue={value === undefined ? '' : String(value)}
                onBlur={(e) => {
                  const raw = e.target.value.trim();
                  const next = raw === '' ? null : a.type === 'number' ? Number(raw) : raw;
                  if (next === null || (typeof next === 'number' ? Number.isFinite(next) : true)) setAttribute(mark.id, a.name, next);
                }}
              />
            )}
          </label>
        );
      })}
    </div>
  );
}

/** The schema's classes with their keys; the current one is used for new marks. */
export function ClassList() {
  const { t } = useTranslation();
  const session = useWorkspaceStore((s) => s.session);
  const current = useWorkspaceStore((s) => s.currentClass);
  const choose = useWorkspaceStore((s) => s.chooseClass);
  const classes = classesOf(session);
  if (classes.length === 0) return null;
  return (
    <section className="card ws-side-block" data-testid="class-list">
      <h4>{t('workspace.classes')}</h4>
      <ul className="ws-list">
        {classes.map((c) => (
          <li key={c.name}>
            <button
              type="button"
              className={`ws-row${c.name === current ? ' selected' : ''}`}
              data-testid={`class-${c.name}`}
              aria-pressed={c.name === current}
              disabled={!isEditable(session)}
              onClick={() => choose(c.name)}
            >
              <span className="ws-swatch" style={{ background: c.color }} />
              <span className="ws-row-main">{c.name}</span>
              <kbd>{c.key.toUpperCase()}</kbd>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The marks of the shown image: select, delete, with their size (mm when spacing is known). */
export function MarkList() {
  const { t } = useTranslation();
  const status = useViewerStore((s) => s.status);
  const spacingPair = useViewerStore((s) => s.pixelSpacing);
  const docs = useWorkspaceStore((s) => s.docs);
  const selected = useWorkspaceStore((s) => s.selectedMarkId);
  const select = useWorkspaceStore((s) => s.select);
  const session = useWorkspaceStore((s) => s.session);
  const imageId = status.state === 'idle' ? null : parseImageId(status.imageId)?.id;
  const marks = imageId ? (docs[imageId]?.marks ?? []) : [];
  const spacing = spacingPair ? { row: spacingPair[0], column: spacingPair[1] } : null;
  const editable = isEditable(session);
  const classes = classesOf(session);
  return (
    <section className="card ws-side-block" data-testid="mark-list">
      <h4>{t('workspace.marks')}</h4>
      {marks.length === 0 && <p className="muted">{t('workspace.noMarks')}</p>}
      <ul className="ws-list">
        {marks.map((m) => (
          <li key={m.id} className="ws-mark" data-testid="mark-row" data-mark-id={m.id} data-class={m.class} data-shape={m.shape} data-geometry={JSON.stringify(m.geometry)} data-attributes={JSON.stringify(m.attributes)}>
            <button type="button" className={`ws-row${m.id === selected ? ' selected' : ''}`} onClick={() => select(m.id)}>
              <span className="ws-row-main">
                {m.class} · {t(`workspace.shapes.${m.shape}`)}
              </span>
              <span className="ws-measure" data-testid="mark-measure">
                <MeasureText mark={m} spacing={spacing} />
              </span>
            </button>
            {editable && (
              <button
                type="button"
                className="btn-icon"
                title={t('workspace.actions.delete')}
                aria-label={t('workspace.actions.delete')}
                data-testid="mark-delete"
                onClick={() => {
                  select(m.id);
                  useWorkspaceStore.getState().deleteSelected();
                }}
              >
                ×
              </button>
            )}
            {m.id === selected && classes.find((c) => c.name === m.class) && (
              <AttributeEditor key={`${m.id}-${m.class}`} mark={m} cls={classes.find((c) => c.name === m.class) as LabelClass} editable={editable} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The images of the ticket in order; a tick for those with a saved version. */
export function ImageList() {
  const { t } = useTranslation();
  const session = useWorkspaceStore((s) => s.session);
  const index = useViewerStore((s) => s.index);
  if (!session) return null;
  return (
    <section className="card ws-side-block" data-testid="image-list">
      <h4>
        {t('workspace.images')} · {t('viewer.imageOf', { current: index + 1, total: session.images.length })}
      </h4>
      <ol className="ws-list">
        {session.images.map((img, i) => (
          <li key={img.id}>
            <button
              type="button"
              className={`ws-row${i === index ? ' selected' : ''}`}
              data-testid={`image-row-${img.id}`}
              onClick={() => void viewerService.show(i)}
            >
              <span className="ws-row-main">{img.fileName}</span>
              {img.saved && <span aria-hidden="true">✓</span>}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
