import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { parseCsv } from './csv';

function records(text: string): [string[], number][] {
  const out: [string[], number][] = [];
  parseCsv(text, 'f.csv', (fields, line) => out.push([[...fields], line]));
  return out;
}

describe('parseCsv', () => {
  it('splits plain records and numbers their lines', () => {
    expect(records('a,b\n1,2\n')).toEqual([
      [['a', 'b'], 1],
      [['1', '2'], 2],
    ]);
  });

  it('skips a BOM and accepts CRLF, lone CR and a missing final line break', () => {
    expect(records('\uFEFFa,b\r\n1,2\r3,4')).toEqual([
      [['a', 'b'], 1],
      [['1', '2'], 2],
      [['3', '4'], 3],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, and keeps line numbers right', () => {
    expect(records('k,v\n"a,b","say ""hi"""\n"two\nlines",x\nlast,"\r\n"\nend,1\n')).toEqual([
      [['k', 'v'], 1],
      [['a,b', 'say "hi"'], 2],
      [['two\nlines', 'x'], 3],
      [['last', '\r\n'], 5],
      [['end', '1'], 7],
    ]);
  });

  it('keeps empty fields and skips blank lines', () => {
    expect(records('a,,c\n\n,\n')).toEqual([
      [['a', '', 'c'], 1],
      [['', ''], 3],
    ]);
  });

  it('refuses an unclosed quote and text after a closing quote, naming the line', () => {
    const message = (text: string) => {
      try {
        records(text);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        return (err as AppError).message;
      }
      return 'no error';
    };
    expect(message('a\n"open,1\n')).toBe('f.csv line 2: a quoted field is not closed');
    expect(message('a\n"x"y,1\n')).toBe('f.csv line 2: unexpected "y" after a closing quote');
  });
});

describe('parseCsv on mixed lines', () => {
  it('gives the same records whether a line takes the fast or the careful path', () => {
    // plain, quoted, plain with CRLF, a lone CR inside a line ending, trailing comma, quoted at end
    const text = 'a,b\r\n"q,1",2\r\nplain,3\rlone,4\nx,\n5,"end"';
    expect(records(text)).toEqual([
      [['a', 'b'], 1],
      [['q,1', '2'], 2],
      [['plain', '3'], 3],
      [['lone', '4'], 4],
      [['x', ''], 5],
      [['5', 'end'], 6],
    ]);
  });
});

describe('parseCsv on random tables', () => {
  it('reads back any table written with RFC 4180 quoting and any line ending', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é'), maxLength: 5 });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { maxLength: 6 }), fc.constantFrom('\n', '\r\n', '\r'), (rows, eol) => {
        // a row of one empty cell would be a blank line, which the parser skips by design
        const quote = (v: string) => (/[",\r\n]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v);
        const text = rows.map((r) => r.map(quote).join(',')).join(eol);
        expect(records(text).map(([f]) => f)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});
