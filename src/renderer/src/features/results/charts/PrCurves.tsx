import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrPoint } from '../../../../../shared/metrics/detection';
import { formatFigure } from '../compare-rules';
import { scale, seriesColour, shortLabel } from './chart-scale';

interface Props {
  readonly curves: Readonly<Record<string, readonly PrPoint[]>>;
  /** A point was chosen: the predicted boxes of the class scored at or above it. */
  readonly onPoint?: (className: string, score: number) => void;
}

const SIZE = 220;
const LEFT = 40;
const TOP = 10;
/** Clickable points drawn per class: one per prediction would be too many at scale. */
const MAX_MARKS = 120;

type Drawn = PrPoint & { recall: number };

/** Evenly spaced indices, the first and last kept. */
function marks(length: number): number[] {
  if (length <= MAX_MARKS) return Array.from({ length }, (_, i) => i);
  const step = (length - 1) / (MAX_MARKS - 1);
  return [...new Set(Array.from({ length: MAX_MARKS }, (_, k) => Math.round(k * step)))];
}

/**
 * Precision–recall curves per class of a detection run (the engine's points, one per predicted
 * box in descending score; a point without recall is left out). Each marked point opens the boxes
 * of the class scored at or above it (tied scores open together). With the keyboard the figure is
 * one tab stop: ←/→ (Home/End) walk the points, ↑/↓ change the class, Enter opens.
 */
export function PrCurves({ curves, onPoint }: Props) {
  const { t } = useTranslation();
  const [focus, setFocus] = useState<{ c: number; k: number }>({ c: 0, k: 0 });
  const classes = Object.keys(curves).filter((c) => (curves[c] ?? []).some((p) => p.recall !== null));
  if (!classes.length) return null;
  const drawn = (c: string): Drawn[] => (curves[c] ?? []).filter((p): p is Drawn => p.recall !== null);
  const marked = (c: string) => {
    const points = drawn(c);
    return marks(points.length).map((i) => points[i] as Drawn);
  };
  const x = scale(0, 1, LEFT, LEFT + SIZE);
  const y = scale(0, 1, TOP + SIZE, TOP);
  const width = LEFT + SIZE + 130;
  const height = TOP + SIZE + 36;
  const currentClass = classes[Math.min(focus.c, classes.length - 1)] as string;
  const currentMarks = marked(currentClass);
  const current = currentMarks[Math.min(focus.k, currentMarks.length - 1)];
  const describe = (c: string, p: Drawn) =>
    t('results.curves.boxPoint', { className: c, threshold: String(p.score), precision: formatFigure(p.precision, 'precision'), recall: formatFigure(p.recall, 'recall') });

  const onKey = (e: KeyboardEvent) => {
    if (!onPoint) return;
    const count = (c: number) => marked(classes[c] as string).length;
    const next = (c: number) => ({ c, k: Math.min(focus.k, count(c) - 1) });
    const move: Record<string, () => { c: number; k: number }> = {
      ArrowRight: () => ({ c: focus.c, k: Math.min(count(focus.c) - 1, focus.k + 1) }),
      ArrowLeft: () => ({ c: focus.c, k: Math.max(0, focus.k - 1) }),
      Home: () => ({ c: focus.c, k: 0 }),
      End: () => ({ c: focus.c, k: count(focus.c) - 1 }),
      ArrowDown: () => next((focus.c + 1) % classes.length),
      ArrowUp: () => next((focus.c + classes.length - 1) % classes.length),
    };
    const step = move[e.key];
    if (step) {
      e.preventDefault();
      setFocus(step());
    } else if ((e.key === 'Enter' || e.key === ' ') && current) {
      e.preventDefault();
      onPoint(currentClass, current.score);
    }
  };

  return (
    <figure className="chart" data-testid="pr-curves">
      <figcaption>{t('results.charts.pr')}</figcaption>
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role={onPoint ? 'group' : 'img'}
        aria-label={onPoint ? t('results.curves.keys') : t('results.charts.pr')}
        {...(onPoint ? { tabIndex: 0, onKeyDown: onKey } : {})}
      >
        <rect x={LEFT} y={TOP} width={SIZE} height={SIZE} fill="none" stroke="#d5dce4" />
        {[0, 0.5, 1].map((v) => (
          <g key={v}>
            <text x={x(v)} y={TOP + SIZE + 14} textAnchor="middle" className="chart-label">
              {v}
            </text>
            <text x={LEFT - 4} y={y(v) + 4} textAnchor="end" className="chart-label">
              {v}
            </text>
          </g>
        ))}
        <text x={LEFT + SIZE / 2} y={TOP + SIZE + 30} textAnchor="middle" className="chart-axis-title">
          {t('results.metric.recall')}
        </text>
        {classes.map((c, i) => {
          const points = drawn(c);
          const d = points.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.recall).toFixed(1)},${y(p.precision).toFixed(1)}`).join(' ');
          return (
            <g key={c}>
              <path d={d} fill="none" stroke={seriesColour(i)} strokeWidth={2} />
              {onPoint &&
                marked(c).map((p, k) => {
                  const active = c === currentClass && p === current;
                  return (
                    <circle
                      key={k}
                      className="curve-point"
                      cx={x(p.recall)}
                      cy={y(p.precision)}
                      r={active ? 5 : 3}
                      fill={active ? '#ffffff' : seriesColour(i)}
                      stroke={seriesColour(i)}
                      strokeWidth={active ? 2 : 1}
                      data-testid={`box-pr-point-${c}-${k}`}
                      data-score={p.score}
                      data-precision={p.precision}
                      data-recall={p.recall}
                      onClick={() => {
                        setFocus({ c: i, k });
                        onPoint(c, p.score);
                      }}
                    >
                      <title>{describe(c, p)}</title>
                    </circle>
                  );
                })}
              <rect x={LEFT + SIZE + 12} y={TOP + i * 18} width={10} height={10} fill={seriesColour(i)} />
              <text x={LEFT + SIZE + 26} y={TOP + i * 18 + 9} className="chart-label">
                <title>{c}</title>
                {shortLabel(c, 14)}
              </text>
            </g>
          );
        })}
      </svg>
      {onPoint && (
        <p className="muted curve-focus" data-testid="box-curve-focus" aria-live="polite">
          {current ? describe(currentClass, current) : ''}
        </p>
      )}
    </figure>
  );
}
