import type { ReactNode } from 'react';
import { parseMarkdown, type Inline } from './markdown';

function inline(parts: readonly Inline[]): ReactNode[] {
  return parts.map((p, i) => {
    if (p.kind === 'strong') return <strong key={i}>{p.text}</strong>;
    if (p.kind === 'em') return <em key={i}>{p.text}</em>;
    if (p.kind === 'code') return <code key={i}>{p.text}</code>;
    return <span key={i}>{p.text}</span>;
  });
}

/** Renders the guideline markdown subset as React text nodes (never as HTML). */
export function Markdown({ source, testId }: { source: string; testId?: string }) {
  return (
    <div className="markdown" data-testid={testId}>
      {parseMarkdown(source).map((b, i) => {
        switch (b.kind) {
          case 'heading': {
            const H = `h${Math.min(6, b.level + 2)}` as 'h3' | 'h4' | 'h5' | 'h6';
            return <H key={i}>{inline(b.content)}</H>;
          }
          case 'list': {
            const items = b.items.map((it, k) => <li key={k}>{inline(it)}</li>);
            return b.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
          case 'code':
            return <pre key={i}>{b.text}</pre>;
          default:
            return <p key={i}>{inline(b.content)}</p>;
        }
      })}
    </div>
  );
}
