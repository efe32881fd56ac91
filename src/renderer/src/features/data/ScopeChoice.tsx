import { useTranslation } from 'react-i18next';
import type { Scope } from './browser-store';

interface Props {
  readonly value: Scope;
  readonly onChange: (scope: Scope) => void;
  readonly selectionCount: number;
  readonly filterCount: number;
  readonly testIdPrefix: string;
}

/** The checked rows, or everything the applied filter matches, with how many images each is. */
export function ScopeChoice({ value, onChange, selectionCount, filterCount, testIdPrefix }: Props) {
  const { t } = useTranslation();
  return (
    <fieldset className="scope-choice">
      <legend>{t('data.scope.label')}</legend>
      <label className="check">
        <input
          type="radio"
          name={`${testIdPrefix}-scope`}
          data-testid={`${testIdPrefix}-scope-selection`}
          checked={value === 'selection'}
          disabled={selectionCount === 0}
          onChange={() => onChange('selection')}
        />
        {t('data.scope.selection', { count: selectionCount })}
      </label>
      <label className="check">
        <input
          type="radio"
          name={`${testIdPrefix}-scope`}
          data-testid={`${testIdPrefix}-scope-filter`}
          checked={value === 'filter'}
          onChange={() => onChange('filter')}
        />
        {t('data.scope.filter', { count: filterCount })}
      </label>
    </fieldset>
  );
}
