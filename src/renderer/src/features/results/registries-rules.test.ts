import { describe, expect, it } from 'vitest';
import type { ParameterView } from '../../../../shared/contract';
import { parseBound, rangeText } from './registries/ParametersSection';
import { presetValues, valuesText } from './registries/PresetsSection';
import { standardRule } from './registries/StandardsSection';
import { paramRows, setDisabledRequest } from './registries-store';

const param = (over: Partial<ParameterView>): ParameterView => ({
  id: 1,
  name: 'epochs',
  type: 'number',
  unit: '',
  min: 1,
  max: 500,
  disabled: false,
  options: [],
  ...over,
});

describe('registry screens', () => {
  it('lists each parameter followed by its options as selectable rows', () => {
    const rows = paramRows(
      [param({}), param({ id: 2, name: 'optimizer', type: 'option', min: null, max: null, options: [{ id: 7, value: 'adam', disabled: false }, { id: 8, value: 'sgd', disabled: true }] })],
      () => '',
    );
    expect(rows.map((r) => r.rowId)).toEqual(['p1', 'p2', 'o7', 'o8']);
    expect(rows[3]).toMatchObject({ kind: 'option', parameterId: 2, name: 'optimizer = sgd', disabled: true });
  });

  it('sends parameters and options of one selection in one request', () => {
    const rows = paramRows([param({ id: 2, type: 'option', min: null, max: null, options: [{ id: 7, value: 'a', disabled: false }] }), param({ id: 3 })], () => '');
    expect(setDisabledRequest(rows, true)).toEqual({ parameterIds: [2, 3], optionIds: [7], disabled: true });
  });

  it('reads blank bounds as unbounded and shows open ends as infinity', () => {
    expect(parseBound(' ')).toBeNull();
    expect(parseBound('0.5')).toBe(0.5);
    expect(parseBound('x')).toBeNaN();
    expect(rangeText({ min: null, max: 10, unit: 'px' })).toBe('[−∞, 10] px');
    expect(rangeText({ min: 0, max: null, unit: '' })).toBe('[0, +∞]');
  });

  it('builds preset values: blanks left out, numbers parsed, bad numbers named', () => {
    const params = [param({}), param({ id: 2, name: 'optimizer', type: 'option', min: null, max: null }), param({ id: 3, name: 'note', type: 'text', min: null, max: null })];
    expect(presetValues(params, { epochs: '100', optimizer: 'adam', note: '' })).toEqual({ values: { epochs: 100, optimizer: 'adam' }, bad: [] });
    expect(presetValues(params, { epochs: 'many' }).bad).toEqual(['epochs']);
    expect(valuesText({ optimizer: 'adam', epochs: 100 })).toBe('epochs=100, optimizer=adam');
  });

  it('writes a standard as one rule', () => {
    expect(standardRule({ metric: 'recall', className: 'malignant', comparison: '>=', threshold: 0.75, iou: null }, (m) => m)).toBe('recall (malignant) ≥ 0.75');
    expect(standardRule({ metric: 'ap', className: null, comparison: '>=', threshold: 0.5, iou: 0.5 }, (m) => m.toUpperCase())).toBe('AP ≥ 0.5 @IoU 0.5');
  });
});
