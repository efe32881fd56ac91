import { useTranslation } from 'react-i18next';
import { MISSED_COLUMN, valueColour } from './matrix-form';

interface Props {
  readonly classes: readonly string[];
  readonly columns: readonly string[];
  readonly values: readonly (readonly (number | null)[])[];
  readonly defaulted: readonly (readonly boolean[])[];
}

const CELL = 44;
const LEFT = 92;
const TOP = 64;
const short = (s: string, n = 11) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The matrix as a heat map (own SVG, no charting library): colour by value, dashed where the default applies. */
export function HeatmapPreview({ classes, columns, values, defaulted }: Props) {
  const { t } = useTranslation();
  const numbers = values.flat().filter((v): v is number => v !== null);
  const min = numbers.length ? Math.min(...numbers) : 0;
  const max = numbers.length ? Math.max(...numbers) : 1;
  const width = LEFT + columns.length * CELL + 8;
  const height = TOP + classes.length * CELL + 8;
  const label = (c: string) => (c === MISSED_COLUMN ? t('quant.editor.missed') : c);
  return (
    <figure className="quant-heatmap" data-testid="quant-heatmap">
      <figcaption>{t('quant.editor.preview')}</figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t('quant.editor.preview')}>
        {columns.map((c, j) => (
          <text key={`h-${c}`} x={LEFT + j * CELL + CELL / 2} y={TOP - 8} textAnchor="end" className="quant-heat-label" transform={`rotate(-35 ${LEFT + j * CELL + CELL / 2} ${TOP - 8})`}>
            <title>{label(c)}</title>
            {short(label(c))}
          </text>
        ))}
        {classes.map((row, i) => (
          <g key={`r-${row}`}>
            <text x={LEFT - 6} y={TOP + i * CELL + CELL / 2 + 4} textAnchor="end" className="quant-heat-label">
              <title>{row}</title>
              {short(row)}
            </text>
            {columns.map((col, j) => {
              const v = values[i]?.[j] ?? null;
              const isDefault = defaulted[i]?.[j] ?? false;
              return (
                <g key={`c-${row}-${col}`} data-testid={`quant-heat-${row}-${col}`} data-value={v ?? ''}>
                  <rect
                    x={LEFT + j * CELL + 1}
                    y={TOP + i * CELL + 1}
                    width={CELL - 2}
                    height={CELL - 2}
                    rx={3}
                    fill={v === null ? '#ffffff' : valueColour(v, min, max)}
                    stroke={v === null ? '#b00020' : '#8a96a3'}
                    strokeDasharray={isDefault ? '3 3' : undefined}
                  />
                  <text x={LEFT + j * CELL + CELL / 2} y={TOP + i * CELL + CELL / 2 + 4} textAnchor="middle" className="quant-heat-value">
                    {v === null ? '?' : String(Math.round(v * 1000) / 1000)}
                  </text>
                  <title>{`${row} → ${label(col)}: ${v === null ? '?' : v}`}</title>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
      <p className="hint">{t('quant.editor.previewLegend')}</p>
    </figure>
  );
}
