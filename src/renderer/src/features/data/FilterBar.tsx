import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { NO_FILTER, type BrowserFilter, type ImageKind, type TagCondition, type TagOp } from './browser-store';
import { TAG_KEY } from './tags';

interface Props {
  readonly initial: BrowserFilter;
  readonly tagKeys: readonly string[];
  readonly onApply: (filter: BrowserFilter) => void;
}

const KINDS: readonly ImageKind[] = ['dicom', 'png', 'jpeg'];
const NEW_CONDITION: TagCondition = { key: '', op: 'eq', value: '' };

/** Tag conditions (all must hold), kind and batch; applied on submit (Enter or the button). */
export function FilterBar({ initial, tagKeys, onApply }: Props) {
  const { t } = useTranslation();
  const [f, setF] = useState<BrowserFilter>(initial.conditions.length ? initial : { ...initial, conditions: [NEW_CONDITION] });
  const [problem, setProblem] = useState<string | null>(null);
  const setCondition = (i: number, c: TagCondition) => setF({ ...f, conditions: f.conditions.map((x, j) => (j === i ? c : x)) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const bad = f.conditions.map((c) => c.key.trim()).filter((k) => k && !TAG_KEY.test(k));
    if (bad.length) return setProblem(t('data.badTagKeys', { keys: bad.join(', ') }));
    const batch = f.batchId.trim();
    if (batch && !(Number.isInteger(Number(batch)) && Number(batch) > 0)) return setProblem(t('data.filter.badBatch'));
    setProblem(null);
    onApply(f);
  };

  return (
    <form className="filter-bar card" onSubmit={submit} data-testid="browser-filter">
      <datalist id="browser-filter-keys">
        {tagKeys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <div className="filter-conditions">
        {f.conditions.map((c, i) => (
          <div className="filter-condition" key={i}>
            {i > 0 && <span className="filter-and">{t('data.filter.and')}</span>}
            <input
              aria-label={t('data.tagKey')}
              placeholder={t('data.tagKey')}
              list="browser-filter-keys"
              data-testid={`filter-key-${i}`}
              value={c.key}
              onChange={(e) => setCondition(i, { ...c, key: e.target.value })}
            />
            <select aria-label={t('data.filter.operator')} data-testid={`filter-op-${i}`} value={c.op} onChange={(e) => setCondition(i, { ...c, op: e.target.value as TagOp })}>
              <option value="eq">{t('data.filter.eq')}</option>
              <option value="contains">{t('data.filter.contains')}</option>
            </select>
            <input
              aria-label={t('data.tagValue')}
              placeholder={t('data.tagValue')}
              data-testid={`filter-value-${i}`}
              value={c.value}
              onChange={(e) => setCondition(i, { ...c, value: e.target.value })}
            />
            <button
              type="button"
              className="btn-icon"
              aria-label={t('data.removeRow')}
              title={t('data.removeRow')}
              onClick={() => setF({ ...f, conditions: f.conditions.filter((_, j) => j !== i) })}
            >
              ×
            </button>
          </div>
        ))}
        <button type="button" className="btn btn-small" data-testid="filter-add" onClick={() => setF({ ...f, conditions: [...f.conditions, NEW_CONDITION] })}>
          {t('data.filter.addCondition')}
        </button>
      </div>
      <div className="filter-side">
        <label className="field">
          <span>{t('data.filter.kind')}</span>
          <select data-testid="filter-kind" value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as ImageKind | '' })}>
            <option value="">{t('data.filter.anyKind')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`data.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('data.filter.batch')}</span>
          <input data-testid="filter-batch" inputMode="numeric" placeholder={t('data.filter.anyBatch')} value={f.batchId} onChange={(e) => setF({ ...f, batchId: e.target.value })} />
        </label>
        <div className="button-row">
          <button type="submit" className="btn btn-primary" data-testid="filter-apply">
            {t('data.filter.apply')}
          </button>
          <button
            type="button"
            className="btn"
            data-testid="filter-reset"
            onClick={() => {
              setF({ ...NO_FILTER, conditions: [NEW_CONDITION] });
              setProblem(null);
              onApply(NO_FILTER);
            }}
          >
            {t('data.filter.reset')}
          </button>
        </div>
      </div>
      {problem && (
        <p className="notice notice-warn filter-problem" role="alert" data-testid="filter-problem">
          {problem}
        </p>
      )}
    </form>
  );
}
