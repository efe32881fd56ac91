import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompareRow, CompareRun, CompareView } from '../../../../../shared/contract';
import { COUNT_METRICS, formatFigure } from '../compare-rules';
import { metricLabel } from '../labels';
import { scale, seriesColour, shortLabel } from './chart-scale';

const H = 160;
const TOP = 16;
const LEFT = 44;
const STEP = 64;

interface Props {
  readonly view: CompareView;
  /** Opens the images behind a run's bar; a bar is a link only when this returns true for it. */
  readonly canOpen?: (run: CompareRun, row: CompareRow) => boolean;
  readonly onOpen?: (run: CompareRun, row: CompareRow) => void;
}

/**
 * One figure of the comparison across the runs, in the order compared (the baseline drawn
 * apart). Like every number of the comparison, each bar opens the images behind it.
 */
export function MetricOverRuns({ view, canOpen, onOpen }: Props) {
  const { t } = useTranslation();
  const keyOf = (i: number) => String(i);
  const initial = Math.max(
    0,
    view.rows.findIndex((r) => r.className === null && (r.metric === 'accuracy' || r.metric === 'mAP')),
  );
  const [picked, setPicked] = useState(keyOf(initial));
  const row = view.rows[Number(picked)] ?? view.rows[0];
  if (!row) return null;
  const values = view.runs.map((r) => row.values[r.id] ?? null);
  const count = COUNT_METRICS.has(row.metric);
  const max = count ? Math.max(1, ...values.map((v) => v ?? 0)) : 1;
  const y = scale(0, max, TOP + H, TOP);
  const width = LEFT + view.runs.length * STEP + 16;
  const height = TOP + H + 40;
  const label = (i: number) => `${metricLabel(t, view.rows[i]?.metric ?? '')} · ${view.rows[i]?.className ?? t('results.scope.overall')}`;
  return (
    <figure className="chart" data-testid="metric-over-runs">
      <figcaption>
        {t('results.charts.overRuns')}
        <select aria-label={t('results.compare.metric')} data-testid="metric-over-runs-pick" value={picked} onChange={(e) => setPicked(e.target.value)}>
          {view.rows.map((_, i) => (
            <option key={i} value={keyOf(i)}>
              {label(i)}
            </option>
          ))}
        </select>
      </figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label(Number(picked))}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={LEFT} x2={width - 8} y1={y(f * max)} y2={y(f * max)} stroke="#e3e8ee" />
            <text x={LEFT - 4} y={y(f * max) + 4} textAnchor="end" className="chart-label">
              {count ? Math.round(f * max) : f}
            </text>
          </g>
        ))}
        {view.runs.map((run, i) => {
          const v = values[i] ?? null;
          const x = LEFT + i * STEP + 12;
          const base = run.id === view.baselineId;
          const link = v !== null && onOpen && canOpen?.(run, row);
          const open = () => onOpen?.(run, row);
          return (
            <g
              key={run.id}
              data-testid={`over-runs-bar-${run.id}`}
              data-value={v ?? ''}
              {...(link
                ? {
                    className: 'chart-bar',
                    role: 'button',
                    tabIndex: 0,
                    'aria-label': `${run.name}: ${formatFigure(v, row.metric)}`,
                    onClick: open,
                    onKeyDown: (e: KeyboardEvent) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        open();
                      }
                    },
                  }
                : {})}
            >
              <title>{`${run.name}: ${formatFigure(v, row.metric)}`}</title>
              {v !== null && <rect x={x} y={y(v)} width={STEP - 24} height={Math.max(1, y(0) - y(v))} fill={base ? '#8a94a3' : seriesColour(0)} />}
              <text x={x + (STEP - 24) / 2} y={v === null ? y(0) - 4 : y(v) - 4} textAnchor="middle" className="chart-label">
                {formatFigure(v, row.metric)}
              </text>
              <text x={x + (STEP - 24) / 2} y={TOP + H + 16} textAnchor="middle" className="chart-label">
                {shortLabel(run.name, 10)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
