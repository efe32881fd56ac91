import { useTranslation } from 'react-i18next';
import { confusionMax, hasMissed } from '../result-rows';
import { heat, shortLabel, textOn } from './chart-scale';

interface Props {
  readonly classes: readonly string[];
  /** confusion[t][p]; the trailing column counts missed images. */
  readonly confusion: readonly (readonly number[])[];
  readonly onCell: (trueClass: string, predictedClass: string | null) => void;
}

const CELL = 46;
const LEFT = 96;
const TOP = 84;
const CORRECT: [number, number, number] = [0, 114, 178];
const ERROR: [number, number, number] = [213, 94, 0];

/** The confusion matrix as a heat map: rows the true class, columns the prediction; every cell opens its images. */
export function ConfusionHeatmap({ classes, confusion, onCell }: Props) {
  const { t } = useTranslation();
  const missed = hasMissed(confusion, classes.length);
  const columns: (string | null)[] = [...classes, ...(missed ? [null] : [])];
  const max = confusionMax(confusion);
  const width = LEFT + columns.length * CELL + 56;
  const height = TOP + classes.length * CELL + 24;
  return (
    <figure className="chart" data-testid="confusion-heatmap">
      <figcaption>{t('results.charts.confusion')}</figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="group" aria-label={t('results.charts.confusion')}>
        <text x={LEFT + (columns.length * CELL) / 2} y={12} textAnchor="middle" className="chart-axis-title">
          {t('results.charts.predicted')}
        </text>
        <text x={12} y={TOP + (classes.length * CELL) / 2} textAnchor="middle" className="chart-axis-title" transform={`rotate(-90 12 ${TOP + (classes.length * CELL) / 2})`}>
          {t('results.charts.truth')}
        </text>
        {columns.map((c, j) => (
          <text key={`h${j}`} x={LEFT + j * CELL + CELL / 2} y={TOP - 6} textAnchor="start" className="chart-label" transform={`rotate(-50 ${LEFT + j * CELL + CELL / 2} ${TOP - 6})`}>
            <title>{c ?? t('results.charts.missed')}</title>
            {c === null ? t('results.charts.missed') : shortLabel(c, 10)}
          </text>
        ))}
        {classes.map((trueClass, i) => (
          <g key={trueClass}>
            <text x={LEFT - 6} y={TOP + i * CELL + CELL / 2 + 4} textAnchor="end" className="chart-label">
              <title>{trueClass}</title>
              {shortLabel(trueClass)}
            </text>
            {columns.map((pred, j) => {
              const value = confusion[i]?.[j] ?? 0;
              const k = value / max;
              const correct = pred === trueClass;
              const label = t('results.charts.cellLabel', { truth: trueClass, predicted: pred ?? t('results.charts.missed'), count: value });
              return (
                <g
                  key={`${trueClass}-${j}`}
                  className="heat-cell"
                  role="button"
                  tabIndex={0}
                  aria-label={label}
                  data-testid={`heat-cell-${trueClass}-${pred ?? 'missed'}`}
                  data-count={value}
                  onClick={() => onCell(trueClass, pred)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      onCell(trueClass, pred);
                    }
                  }}
                >
                  <title>{label}</title>
                  <rect x={LEFT + j * CELL} y={TOP + i * CELL} width={CELL - 2} height={CELL - 2} rx={3} fill={heat(k, correct ? CORRECT : ERROR)} stroke="#d5dce4" />
                  <text x={LEFT + j * CELL + CELL / 2 - 1} y={TOP + i * CELL + CELL / 2 + 4} textAnchor="middle" fill={textOn(k)} className="chart-value">
                    {value}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    </figure>
  );
}
