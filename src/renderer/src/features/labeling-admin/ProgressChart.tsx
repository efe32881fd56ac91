import { useTranslation } from 'react-i18next';
import type { ProgressView } from '../../../../shared/contract';
import { progressRows, type ProgressRow } from './progress-rows';

const ROW = 22;
const LABEL = 170;
const BAR = 300;
const DONE = '#0072B2';
const REST = '#e3e8ee';

/**
 * Labeling progress as stacked bars (plain SVG, colours as attributes, CSP-safe): per dataset
 * stage, per annotator and per ticket, each bar the share of its images done.
 */
export function ProgressChart({ progress }: { progress: ProgressView }) {
  const { t } = useTranslation();
  const rows = progressRows(progress);
  const label = (r: ProgressRow) => (r.group === 'dataset' ? t(`labelingAdmin.stage.${r.label}`) : r.group === 'ticket' ? `${t('labelingAdmin.col.ticket')} ${r.label}` : r.label);
  const heading = (g: ProgressRow['group']) => t(`labelingAdmin.chartGroup.${g}`);
  let y = 0;
  const placed: { r: ProgressRow; y: number; head: string | null }[] = [];
  let group: string | null = null;
  for (const r of rows) {
    const head = r.group !== group ? heading(r.group) : null;
    if (head) y += ROW;
    group = r.group;
    placed.push({ r, y, head });
    y += ROW;
  }
  const width = LABEL + BAR + 70;
  return (
    <figure className="chart" data-testid="progress-chart">
      <figcaption>
        {t('labelingAdmin.progressTitle')}
        <span className="chart-legend">
          <span className="chart-legend-item">
            <svg width={10} height={10} aria-hidden="true">
              <rect width={10} height={10} fill={DONE} />
            </svg>
            {t('labelingAdmin.done')}
          </span>
          <span className="chart-legend-item">
            <svg width={10} height={10} aria-hidden="true">
              <rect width={10} height={10} fill={REST} />
            </svg>
            {t('labelingAdmin.remaining')}
          </span>
        </span>
      </figcaption>
      <svg width={width} height={y + 4} viewBox={`0 0 ${width} ${y + 4}`} role="group" aria-label={t('labelingAdmin.progressTitle')}>
        {placed.map(({ r, y: top, head }) => {
          const share = r.total > 0 ? r.done / r.total : 0;
          const text = `${label(r)}: ${r.done}/${r.total}`;
          return (
            <g key={r.key} data-testid={`progress-bar-${r.key}`} data-done={r.done} data-total={r.total}>
              {head && (
                <text x={0} y={top - 6} className="chart-axis-title">
                  {head}
                </text>
              )}
              <text x={LABEL - 6} y={top + 15} textAnchor="end" className="chart-label">
                {label(r).length > 24 ? `${label(r).slice(0, 23)}…` : label(r)}
              </text>
              <rect x={LABEL} y={top + 3} width={BAR} height={ROW - 6} fill={REST}>
                <title>{text}</title>
              </rect>
              <rect x={LABEL} y={top + 3} width={Math.round(BAR * share)} height={ROW - 6} fill={DONE}>
                <title>{text}</title>
              </rect>
              <text x={LABEL + BAR + 6} y={top + 15} className="chart-value">
                {r.done}/{r.total}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
