import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BinaryCurve, CurvePoint } from '../../../../../shared/metrics/curves';
import { formatFigure } from '../compare-rules';
import { scale, seriesColour, shortLabel } from './chart-scale';

interface Props {
  /** Per class (one-vs-rest), from runs:curves. */
  readonly curves: Readonly<Record<string, BinaryCurve>>;
  /** A point was chosen: its TP and FP images at the point's threshold. */
  readonly onPoint: (className: string, point: CurvePoint) => void;
}

const SIZE = 200;
const LEFT = 40;
const TOP = 10;
const GAP = 56;

type Kind = 'roc' | 'pr';
const coords = (kind: Kind, p: CurvePoint): [number, number] => (kind === 'roc' ? [p.fpr, p.tpr] : [p.tpr, p.precision]);
/** The first point (nothing predicted positive) has no images to open. */
const clickable = (p: CurvePoint) => p.cut !== 'none';

/**
 * ROC and precision–recall curves per class of a classification run, side by side (plain SVG,
 * CSP-safe). Every point opens the images counted at its threshold; with the keyboard, the
 * figure is one tab stop: ←/→ walk the points of a class (Home/End: first/last), ↑/↓ change the
 * class, Enter opens.
 */
export function ClassCurves({ curves, onPoint }: Props) {
  const { t } = useTranslation();
  const classes = Object.keys(curves).filter((c) => (curves[c]?.points.length ?? 0) > 0);
  const [focus, setFocus] = useState<{ c: number; k: number }>({ c: 0, k: 1 });
  if (!classes.length) return null;
  const x0 = (panel: number) => LEFT + panel * (SIZE + GAP);
  const y = scale(0, 1, TOP + SIZE, TOP);
  const width = x0(1) + SIZE + 150;
  const height = TOP + SIZE + 36;
  const current = (() => {
    const c = classes[Math.min(focus.c, classes.length - 1)] as string;
    const points = curves[c]?.points ?? [];
    return { c, point: points[Math.min(focus.k, points.length - 1)] };
  })();

  const describe = (c: string, p: CurvePoint) =>
    t('results.curves.point', {
      className: c,
      threshold: p.cut === 'all' ? t('results.curves.all') : p.cut === 'none' ? '—' : String(p.threshold),
      tp: p.tp,
      fp: p.fp,
      tpr: formatFigure(p.tpr, 'recall'),
      fpr: formatFigure(p.fpr, 'recall'),
      precision: formatFigure(p.precision, 'precision'),
    });

  const onKey = (e: KeyboardEvent) => {
    const points = (c: number) => curves[classes[c] as string]?.points.length ?? 1;
    const move: Record<string, () => { c: number; k: number }> = {
      ArrowRight: () => ({ c: focus.c, k: Math.min(points(focus.c) - 1, focus.k + 1) }),
      ArrowLeft: () => ({ c: focus.c, k: Math.max(1, focus.k - 1) }),
      Home: () => ({ c: focus.c, k: 1 }),
      End: () => ({ c: focus.c, k: points(focus.c) - 1 }),
      ArrowDown: () => ({ c: (focus.c + 1) % classes.length, k: Math.min(focus.k, points((focus.c + 1) % classes.length) - 1) }),
      ArrowUp: () => ({ c: (focus.c + classes.length - 1) % classes.length, k: Math.min(focus.k, points((focus.c + classes.length - 1) % classes.length) - 1) }),
    };
    const step = move[e.key];
    if (step) {
      e.preventDefault();
      setFocus(step());
    } else if ((e.key === 'Enter' || e.key === ' ') && current.point && clickable(current.point)) {
      e.preventDefault();
      onPoint(current.c, current.point);
    }
  };

  const panel = (kind: Kind, index: number) => {
    const left = x0(index);
    const x = scale(0, 1, left, left + SIZE);
    return (
      <g key={kind} data-testid={`${kind}-panel`}>
        <rect x={left} y={TOP} width={SIZE} height={SIZE} fill="none" stroke="#d5dce4" />
        {kind === 'roc' && <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="#d5dce4" strokeDasharray="4 3" />}
        {[0, 0.5, 1].map((v) => (
          <g key={v}>
            <text x={x(v)} y={TOP + SIZE + 14} textAnchor="middle" className="chart-label">
              {v}
            </text>
            <text x={left - 4} y={y(v) + 4} textAnchor="end" className="chart-label">
              {v}
            </text>
          </g>
        ))}
        <text x={left + SIZE / 2} y={TOP + SIZE + 30} textAnchor="middle" className="chart-axis-title">
          {kind === 'roc' ? t('results.curves.fpr') : t('results.metric.recall')}
        </text>
        <text x={left - 30} y={TOP + SIZE / 2} textAnchor="middle" className="chart-axis-title" transform={`rotate(-90 ${left - 30} ${TOP + SIZE / 2})`}>
          {kind === 'roc' ? t('results.curves.tpr') : t('results.metric.precision')}
        </text>
        {classes.map((c, i) => {
          const points = curves[c]?.points ?? [];
          const d = points
            .map((p, k) => {
              const [px, py] = coords(kind, p);
              return `${k === 0 ? 'M' : 'L'}${x(px).toFixed(1)},${y(py).toFixed(1)}`;
            })
            .join(' ');
          return (
            <g key={c}>
              <path d={d} fill="none" stroke={seriesColour(i)} strokeWidth={2} />
              {points.map((p, k) => {
                const [px, py] = coords(kind, p);
                const active = current.c === c && current.point === p;
                return (
                  <circle
                    key={k}
                    className={clickable(p) ? 'curve-point' : 'curve-point curve-point-inert'}
                    cx={x(px)}
                    cy={y(py)}
                    r={active ? 5 : 3}
                    fill={active ? '#ffffff' : seriesColour(i)}
                    stroke={seriesColour(i)}
                    strokeWidth={active ? 2 : 1}
                    data-testid={`${kind}-point-${c}-${k}`}
                    data-class={c}
                    data-cut={p.cut}
                    data-threshold={p.threshold ?? ''}
                    data-tp={p.tp}
                    data-fp={p.fp}
                    onClick={() => {
                      setFocus({ c: i, k });
                      if (clickable(p)) onPoint(c, p);
                    }}
                  >
                    <title>{describe(c, p)}</title>
                  </circle>
                );
              })}
            </g>
          );
        })}
      </g>
    );
  };

  return (
    <figure className="chart" data-testid="class-curves">
      <figcaption>{t('results.curves.title')}</figcaption>
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="group"
        tabIndex={0}
        aria-label={t('results.curves.keys')}
        aria-describedby="class-curves-focus"
        onKeyDown={onKey}
      >
        {panel('roc', 0)}
        {panel('pr', 1)}
        {classes.map((c, i) => (
          <g key={c} data-testid={`curve-legend-${c}`} data-auc={curves[c]?.auc ?? ''}>
            <rect x={x0(1) + SIZE + 12} y={TOP + i * 18} width={10} height={10} fill={seriesColour(i)} />
            <text x={x0(1) + SIZE + 26} y={TOP + i * 18 + 9} className="chart-label">
              <title>{c}</title>
              {`${shortLabel(c, 12)} AUC ${formatFigure(curves[c]?.auc ?? null, 'auc')}`}
            </text>
          </g>
        ))}
      </svg>
      <p className="muted curve-focus" id="class-curves-focus" data-testid="curve-focus" aria-live="polite">
        {current.point ? describe(current.c, current.point) : ''}
      </p>
      <p className="hint">{t('results.curves.definition')}</p>
    </figure>
  );
}
