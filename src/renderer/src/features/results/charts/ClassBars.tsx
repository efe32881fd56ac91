import { useTranslation } from 'react-i18next';
import { scale, seriesColour, shortLabel } from './chart-scale';

export type BarMetric = 'precision' | 'recall' | 'f1' | 'specificity';

interface Props {
  readonly classes: readonly string[];
  readonly values: Readonly<Record<string, Partial<Record<BarMetric, number | null>>>>;
  readonly metrics: readonly BarMetric[];
  readonly onBar: (className: string, metric: BarMetric) => void;
}

const H = 180;
const TOP = 12;
const LEFT = 36;
const BAR = 14;
const GAP = 18;

/** Per-class bars of the ratio metrics (0–1); each bar opens the images behind it. */
export function ClassBars({ classes, values, metrics, onBar }: Props) {
  const { t } = useTranslation();
  const group = metrics.length * BAR + GAP;
  const width = LEFT + classes.length * group + 8;
  const height = TOP + H + 40;
  const y = scale(0, 1, TOP + H, TOP);
  return (
    <figure className="chart" data-testid="class-bars">
      <figcaption>
        {t('results.charts.perClass')}
        <span className="chart-legend">
          {metrics.map((m, k) => (
            <span key={m} className="chart-legend-item">
              <svg width={10} height={10} aria-hidden="true">
                <rect width={10} height={10} fill={seriesColour(k)} />
              </svg>
              {t(`results.metric.${m}`)}
            </span>
          ))}
        </span>
      </figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="group" aria-label={t('results.charts.perClass')}>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v}>
            <line x1={LEFT} x2={width - 4} y1={y(v)} y2={y(v)} stroke="#e3e8ee" />
            <text x={LEFT - 4} y={y(v) + 4} textAnchor="end" className="chart-label">
              {v}
            </text>
          </g>
        ))}
        {classes.map((c, i) => (
          <g key={c}>
            {metrics.map((m, k) => {
              const v = values[c]?.[m];
              if (v === null || v === undefined) return null;
              const x = LEFT + i * group + GAP / 2 + k * BAR;
              const label = `${c} · ${t(`results.metric.${m}`)}: ${v.toFixed(3)}`;
              return (
                <rect
                  key={m}
                  className="chart-bar"
                  x={x}
                  y={y(v)}
                  width={BAR - 2}
                  height={Math.max(1, y(0) - y(v))}
                  fill={seriesColour(k)}
                  role="button"
                  tabIndex={0}
                  aria-label={label}
                  data-testid={`bar-${c}-${m}`}
                  onClick={() => onBar(c, m)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      onBar(c, m);
                    }
                  }}
                >
                  <title>{label}</title>
                </rect>
              );
            })}
            <text x={LEFT + i * group + group / 2} y={TOP + H + 16} textAnchor="middle" className="chart-label">
              <title>{c}</title>
              {shortLabel(c)}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
