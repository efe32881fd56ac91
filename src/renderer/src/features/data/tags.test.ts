import { describe, expect, it } from 'vitest';
import { parsePaths, tagsFromRows } from './tags';

describe('import form parsing', () => {
  it('takes one path per line, trimmed, without blanks or repeats', () => {
    expect(parsePaths('  /data/a \n\n/data/b\r\n/data/a\n   ')).toEqual(['/data/a', '/data/b']);
  });

  it('turns key=value rows into tags and skips blank rows', () => {
    expect(tagsFromRows([{ key: ' institution ', value: ' Site A ' }, { key: '', value: '' }, { key: 'operator', value: '' }])).toEqual({
      ok: true,
      tags: { institution: 'Site A', operator: '' },
    });
  });

  it('names every key the contract would refuse', () => {
    expect(tagsFromRows([{ key: 'bad key', value: 'x' }, { key: '', value: 'orphan' }, { key: 'good', value: 'y' }])).toEqual({
      ok: false,
      badKeys: ['bad key', '""'],
    });
  });
});
