/**
 * A small, safe markdown subset for the labeling guidelines preview (no HTML is ever
 * interpreted: the result is data that React renders as text nodes). Blocks: `#`–`######`
 * headings, `-`/`*` and `1.` lists, fenced code, paragraphs (consecutive lines). Inline:
 * `**bold**`, `*italic*` / `_italic_`, `` `code` ``.
 */
export type Inline = { readonly kind: 'text' | 'strong' | 'em' | 'code'; readonly text: string };
export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3 | 4 | 5 | 6; readonly content: Inline[] }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: Inline[][] }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly content: Inline[] };

const INLINE = /(\*\*[^*]+\*\*|`[^`]+`|\*[^*\s][^*]*\*|_[^_\s][^_]*_)/;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  for (const part of text.split(INLINE)) {
    if (!part) continue;
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4) out.push({ kind: 'strong', text: part.slice(2, -2) });
    else if (part.startsWith('`') && part.endsWith('`') && part.length > 2) out.push({ kind: 'code', text: part.slice(1, -1) });
    else if ((part.startsWith('*') && part.endsWith('*')) || (part.startsWith('_') && part.endsWith('_'))) {
      if (part.length > 2) out.push({ kind: 'em', text: part.slice(1, -1) });
      else out.push({ kind: 'text', text: part });
    } else out.push({ kind: 'text', text: part });
  }
  return out;
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.trimStart().startsWith('```')) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] as string).trimStart().startsWith('```')) body.push(lines[i++] as string);
      i++;
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: (heading[1] as string).length as 1 | 2 | 3 | 4 | 5 | 6, content: parseInline((heading[2] as string).trim()) });
      i++;
      continue;
    }
    const bullet = /^\s*([-*]|\d+[.)])\s+(.*)$/;
    const first = bullet.exec(line);
    if (first) {
      const ordered = /\d/.test(first[1] as string);
      const items: Inline[][] = [];
      let m: RegExpExecArray | null;
      while (i < lines.length && (m = bullet.exec(lines[i] as string)) && /\d/.test(m[1] as string) === ordered) {
        items.push(parseInline((m[2] as string).trim()));
        i++;
      }
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== '' && !/^(#{1,6}\s|\s*([-*]|\d+[.)])\s|\s*```)/.test(lines[i] as string)) para.push((lines[i++] as string).trim());
    blocks.push({ kind: 'paragraph', content: parseInline(para.join(' ')) });
  }
  return blocks;
}
