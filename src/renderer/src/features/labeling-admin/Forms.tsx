import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorData } from '../../../../shared/errors';
import { labelSchema, PRIORITIES, type TicketPriority } from '../../../../shared/labeling';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { useLabelingAdminStore } from './admin-store';

const EXAMPLE_SCHEMA = JSON.stringify(
  { classes: [{ name: 'nodule', color: '#ff4400', key: 'n', shapes: ['ellipse', 'rectangle', 'length'], attributes: [] }], imageClasses: [] },
  null,
  2,
);

/** A labeling dataset from a to-label dataset, with guidelines and a label schema (JSON). */
export function CreateForm() {
  const { t } = useTranslation();
  const toLabel = useLabelingAdminStore((s) => s.toLabel);
  const create = useLabelingAdminStore((s) => s.create);
  const [source, setSource] = useState<number | ''>('');
  const [name, setName] = useState('');
  const [guidelines, setGuidelines] = useState('');
  const [schemaText, setSchemaText] = useState(EXAMPLE_SCHEMA);
  const [error, setError] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    let schema: unknown;
    try {
      schema = labelSchema.parse(JSON.parse(schemaText));
    } catch (err) {
      setError({ code: 'VALIDATION', message: `${t('labelingAdmin.schemaInvalid')}: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    if (source === '') return;
    setBusy(true);
    const outcome = await create({ sourceDatasetId: source, name: name.trim(), guidelines, schema: schema as never });
    setBusy(false);
    if (!outcome.ok) setError(outcome.error);
    else setName('');
  };

  return (
    <form className="form card" data-testid="labeling-create-form" onSubmit={(e) => void submit(e)}>
      <h3>{t('labelingAdmin.createTitle')}</h3>
      <label className="field">
        <span>{t('labelingAdmin.source')}</span>
        <select data-testid="labeling-create-source" required value={source} onChange={(e) => setSource(e.target.value ? Number(e.target.value) : '')}>
          <option value="">—</option>
          {toLabel.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.imageCount})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('labelingAdmin.name')}</span>
        <input data-testid="labeling-create-name" required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('labelingAdmin.guidelines')}</span>
        <textarea rows={3} value={guidelines} onChange={(e) => setGuidelines(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('labelingAdmin.schema')}</span>
        <textarea data-testid="labeling-create-schema" rows={8} className="mono" value={schemaText} onChange={(e) => setSchemaText(e.target.value)} />
      </label>
      {error && <ErrorBanner error={error} />}
      <button type="submit" className="btn btn-primary" disabled={busy || source === '' || !name.trim()} data-testid="labeling-create-submit">
        {t('labelingAdmin.create')}
      </button>
    </form>
  );
}

/** Splits the selected dataset's pool into tickets for the chosen annotators. */
export function SplitForm({ datasetId }: { datasetId: number }) {
  const { t } = useTranslation();
  const annotators = useLabelingAdminStore((s) => s.annotators);
  const split = useLabelingAdminStore((s) => s.split);
  const [by, setBy] = useState<'count' | 'study'>('study');
  const [perTicket, setPerTicket] = useState(20);
  const [chosen, setChosen] = useState<number[]>([]);
  const [priority, setPriority] = useState<TicketPriority>('normal');
  const [due, setDue] = useState('');
  const [error, setError] = useState<ErrorData | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const outcome = await split({ datasetId, by, perTicket, annotatorIds: chosen, priority, dueDate: due || null });
    if (!outcome.ok) setError(outcome.error);
  };

  return (
    <form className="form card" data-testid="labeling-split-form" onSubmit={(e) => void submit(e)}>
      <h3>{t('labelingAdmin.splitTitle')}</h3>
      <div className="form-row">
        <label className="field">
          <span>{t('labelingAdmin.by')}</span>
          <select data-testid="labeling-split-by" value={by} onChange={(e) => setBy(e.target.value as 'count' | 'study')}>
            <option value="study">{t('labelingAdmin.byStudy')}</option>
            <option value="count">{t('labelingAdmin.byCount')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('labelingAdmin.perTicket')}</span>
          <input data-testid="labeling-split-per" type="number" min={1} value={perTicket} onChange={(e) => setPerTicket(Math.max(1, Number(e.target.value) || 1))} />
        </label>
        <label className="field">
          <span>{t('labelingAdmin.priority')}</span>
          <select data-testid="labeling-split-priority" value={priority} onChange={(e) => setPriority(e.target.value as TicketPriority)}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`inbox.priorities.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('labelingAdmin.due')}</span>
          <input type="date" data-testid="labeling-split-due" value={due} onChange={(e) => setDue(e.target.value)} />
        </label>
      </div>
      <fieldset className="field">
        <legend>{t('labelingAdmin.annotators')}</legend>
        {annotators.map((a) => (
          <label key={a.id} className="checkbox">
            <input
              type="checkbox"
              data-testid={`labeling-split-annotator-${a.username}`}
              checked={chosen.includes(a.id)}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, a.id] : chosen.filter((x) => x !== a.id))}
            />
            {a.displayName}
          </label>
        ))}
      </fieldset>
      {error && <ErrorBanner error={error} />}
      <button type="submit" className="btn btn-primary" data-testid="labeling-split-submit">
        {t('labelingAdmin.split')}
      </button>
    </form>
  );
}

