import { useTranslation } from 'react-i18next';
import type { PrPoint } from '../../../../../shared/metrics/detection';
import { scale, seriesColour, shortLabel } from './chart-scale';

interface Props {
  readonly curves: Readonly<Record<string, readonly PrPoint[]>>;
}

const SIZE = 220;
const LEFT = 40;
const TOP = 10;

/** Precision–recall curves per class of a detection run (the engine's points; a point without recall is left out). */
export function PrCurves({ curves }: Props) {
  const { t } = useTranslation();
  const classes = Object.keys(curves).filter((c) => (curves[c] ?? []).some((p) => p.recall !== null));
  if (!classes.length) return null;
  const x = scale(0, 1, LEFT, LEFT + SIZE);
  const y = scale(0, 1, TOP + SIZE, TOP);
  const width = LEFT + SIZE + 130;
  const height = TOP + SIZE + 36;
  return (
    <figure className="chart" data-testid="pr-curves">
      <figcaption>{t('results.charts.pr')}</figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t('results.charts.pr')}>
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
          const points = (curves[c] ?? []).filter((p): p is PrPoint & { recall: number } => p.recall !== null);
          const d = points.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.recall).toFixed(1)},${y(p.precision).toFixed(1)}`).join(' ');
          return (
            <g key={c}>
              <path d={d} fill="none" stroke={seriesColour(i)} strokeWidth={2} />
              <rect x={LEFT + SIZE + 12} y={TOP + i * 18} width={10} height={10} fill={seriesColour(i)} />
              <text x={LEFT + SIZE + 26} y={TOP + i * 18 + 9} className="chart-label">
                <title>{c}</title>
                {shortLabel(c, 14)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
