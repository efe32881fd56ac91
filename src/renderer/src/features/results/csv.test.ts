import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvField, csvFileName, toCsv } from './csv';

describe('CSV export', () => {
  it('quotes fields holding a comma, a quote or a line break and doubles the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('plain')).toBe('plain');
  });

  it('writes null, undefined and non-finite numbers as empty fields', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(0)).toBe('0');
    expect(csvField(true)).toBe('true');
  });

  it('defuses text a spreadsheet would run as a formula but keeps negative numbers', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-0.25)).toBe('-0.25');
  });

  it('builds a file with a byte-order mark, a header and CRLF records', () => {
    const csv = toCsv(['class', 'precision'], [['恶性', 0.5], ['a,b', null]]);
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv.slice(1)).toBe('class,precision\r\n恶性,0.5\r\n"a,b",\r\n');
  });

  it('makes a safe file name', () => {
    expect(csvFileName('DemoNet v1 / results: precision?')).toBe('DemoNet v1 _ results_ precision_.csv');
    expect(csvFileName('  ')).toBe('export.csv');
  });
});
