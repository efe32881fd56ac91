import { useTranslation } from 'react-i18next';
import type { TagRow } from './tags';

interface Props {
  readonly rows: readonly TagRow[];
  readonly onChange: (rows: TagRow[]) => void;
  readonly keys: readonly string[];
  readonly testIdPrefix: string;
}

/** key = value rows; Enter in any field submits the surrounding form. */
export function TagRowsEditor({ rows, onChange, keys, testIdPrefix }: Props) {
  const { t } = useTranslation();
  const listId = `${testIdPrefix}-keys`;
  const update = (i: number, row: TagRow) => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <fieldset className="tag-rows">
      <legend>{t('data.import.tags')}</legend>
      <datalist id={listId}>
        {keys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      {rows.map((row, i) => (
        <div className="tag-row" key={i}>
          <input
            aria-label={t('data.tagKey')}
            placeholder={t('data.tagKey')}
            list={listId}
            data-testid={`${testIdPrefix}-key-${i}`}
            value={row.key}
            onChange={(e) => update(i, { ...row, key: e.target.value })}
          />
          <span className="tag-eq">=</span>
          <input
            aria-label={t('data.tagValue')}
            placeholder={t('data.tagValue')}
            data-testid={`${testIdPrefix}-value-${i}`}
            value={row.value}
            onChange={(e) => update(i, { ...row, value: e.target.value })}
          />
          <button
            type="button"
            className="btn-icon"
            aria-label={t('data.removeRow')}
            title={t('data.removeRow')}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-small" data-testid={`${testIdPrefix}-add`} onClick={() => onChange([...rows, { key: '', value: '' }])}>
        {t('data.import.addTag')}
      </button>
    </fieldset>
  );
}
