import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './markdown';

describe('guideline markdown', () => {
  it('parses headings, lists, code and paragraphs', () => {
    const blocks = parseMarkdown('# Nodules\n\nMark **every** nodule\nwith an *ellipse*.\n\n- solid\n- `part-solid`\n\n1. zoom\n2. draw\n\n```\n<b>raw</b>\n```');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, content: [{ kind: 'text', text: 'Nodules' }] },
      {
        kind: 'paragraph',
        content: [
          { kind: 'text', text: 'Mark ' },
          { kind: 'strong', text: 'every' },
          { kind: 'text', text: ' nodule with an ' },
          { kind: 'em', text: 'ellipse' },
          { kind: 'text', text: '.' },
        ],
      },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'solid' }], [{ kind: 'code', text: 'part-solid' }]] },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'zoom' }], [{ kind: 'text', text: 'draw' }]] },
      { kind: 'code', text: '<b>raw</b>' },
    ]);
  });

  it('keeps HTML and lone markers as plain text', () => {
    expect(parseInline('<script>x</script> 2 * 3')).toEqual([{ kind: 'text', text: '<script>x</script> 2 * 3' }]);
  });
});
