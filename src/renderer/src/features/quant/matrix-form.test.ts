import { describe, expect, it } from 'vitest';
import { effectiveGrid, emptyForm, formFromMatrix, formProblems, formToRequest, parseNumber, setCell, valueColour } from './matrix-form';

const base = { ...emptyForm(), name: 'braking', classesText: 'person, figure3d, picture', defaultValue: '1' };

describe('the matrix editor form', () => {
  it('accepts plain decimal numbers only', () => {
    expect(parseNumber('0.5')).toBe(0.5);
    expect(parseNumber('-1')).toBe(-1);
    expect(parseNumber('.25')).toBe(0.25);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('1,5')).toBeNull();
    expect(parseNumber('Infinity')).toBeNull();
    expect(parseNumber('0x10')).toBeNull();
  });

  it('reports a non-number cell, a bad default, a missing name and reserved or repeated classes', () => {
    const form = setCell({ ...base, name: ' ', defaultValue: 'x', classesText: 'a, a, missed' }, 'a', 'missed', 'two');
    expect(formProblems(form)).toEqual([
      { kind: 'name' },
      { kind: 'duplicateClass', className: 'a' },
      { kind: 'reservedClass', className: 'missed' },
      { kind: 'default' },
      { kind: 'cell', trueClass: 'a', predicted: 'missed' },
    ]);
  });

  it('sends only filled cells of the current classes; empty cells take the default', () => {
    let form = setCell(base, 'person', 'person', '2');
    form = setCell(form, 'person', 'missed', '0');
    form = setCell(form, 'gone', 'person', '5');
    expect(formProblems(form)).toEqual([]);
    expect(formToRequest(form)).toEqual({
      name: 'braking',
      description: '',
      classes: ['person', 'figure3d', 'picture'],
      definition: { default: 1, values: { person: { person: 2, missed: 0 } } },
    });
    const grid = effectiveGrid(form);
    expect(grid.columns).toEqual(['person', 'figure3d', 'picture', 'missed']);
    expect(grid.values[0]).toEqual([2, 1, 1, 0]);
    expect(grid.defaulted[0]).toEqual([false, true, true, false]);
  });

  it('round-trips a stored matrix', () => {
    const stored = { name: 'm', description: 'd', classes: ['a', 'b'], definition: { name: 'm', default: 0, values: { a: { a: 1, missed: -1 } } } };
    expect(formToRequest(formFromMatrix(stored))).toEqual({ name: 'm', description: 'd', classes: ['a', 'b'], definition: { default: 0, values: { a: { a: 1, missed: -1 } } } });
  });

  it('colours the lowest value vermilion, the highest blue', () => {
    expect(valueColour(0, 0, 2)).toBe('rgb(213, 94, 0)');
    expect(valueColour(2, 0, 2)).toBe('rgb(0, 114, 178)');
    expect(valueColour(1, 0, 2)).toBe('rgb(247, 247, 247)');
  });
});
