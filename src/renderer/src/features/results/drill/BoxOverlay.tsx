import { useTranslation } from 'react-i18next';
import type { OverlayBox } from '../../../../../shared/contract';

/** Okabe–Ito, distinguishable for the common colour-vision deficiencies. */
export const OUTCOME_COLOURS: Record<OverlayBox['outcome'], string> = { tp: '#009E73', fp: '#E69F00', fn: '#CC79A7' };

/** Image pixel coordinates → overlay coordinates. */
export type Project = (x: number, y: number) => readonly [number, number];

interface LayerProps {
  readonly boxes: readonly OverlayBox[];
  /** The SVG's own coordinate system: the image's pixels (<img>) or the viewport canvas (DICOM). */
  readonly viewBox: { readonly width: number; readonly height: number };
  readonly project: Project;
  /** `meet` scales the view box like `object-fit: contain` (an <img>); `none` maps it 1:1 (a canvas). */
  readonly fit: 'meet' | 'none';
  /** Label font size in view-box units. */
  readonly labelSize: number;
  readonly testId: string;
}

/**
 * Boxes drawn over an image: ground truth dashed, predictions solid, coloured by outcome (TP,
 * FP, FN). Each shape carries its box in image pixel coordinates as data attributes, so what is
 * drawn can be checked without reading pixels.
 */
export function BoxLayer({ boxes, viewBox, project, fit, labelSize, testId }: LayerProps) {
  const { t } = useTranslation();
  return (
    <svg
      className="box-overlay"
      data-testid={testId}
      data-count={boxes.length}
      viewBox={`0 0 ${viewBox.width} ${viewBox.height}`}
      preserveAspectRatio={fit === 'meet' ? 'xMidYMid meet' : 'none'}
      aria-hidden="true"
    >
      {boxes.map((b, i) => {
        const corners = [project(b.x, b.y), project(b.x + b.w, b.y), project(b.x + b.w, b.y + b.h), project(b.x, b.y + b.h)];
        const [lx, ly] = corners.reduce(([ax, ay], [cx, cy]) => [Math.min(ax, cx), Math.min(ay, cy)] as const, [Infinity, Infinity] as const);
        const colour = OUTCOME_COLOURS[b.outcome];
        return (
          <g key={i} className={`overlay-box overlay-${b.kind}`} data-testid="overlay-box" data-kind={b.kind} data-outcome={b.outcome} data-class={b.className} data-x={b.x} data-y={b.y} data-w={b.w} data-h={b.h}>
            <title>{`${t(`results.boxes.${b.kind}`)} · ${b.className} · ${t(`results.sets.${b.outcome}`)}${b.score !== null ? ` · ${b.score}` : ''}`}</title>
            <polygon
              points={corners.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(' ')}
              fill="none"
              stroke={colour}
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
              strokeDasharray={b.kind === 'truth' ? '5 3' : undefined}
            />
            <text x={lx} y={ly} dy={-labelSize / 4} fill={colour} fontSize={labelSize} className="overlay-box-label">
              {b.kind === 'truth' ? b.className : `${b.className}${b.score !== null ? ` ${b.score}` : ''}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

interface LegendProps {
  readonly boxes: readonly OverlayBox[];
  readonly showTruth: boolean;
  readonly showPredictions: boolean;
  readonly onTruth: (v: boolean) => void;
  readonly onPredictions: (v: boolean) => void;
}

/** What the colours and dashes mean, with a switch for each layer. */
export function BoxLegend({ boxes, showTruth, showPredictions, onTruth, onPredictions }: LegendProps) {
  const { t } = useTranslation();
  const count = (kind: OverlayBox['kind']) => boxes.filter((b) => b.kind === kind).length;
  return (
    <section className="box-legend" data-testid="box-legend">
      <h4>{t('results.boxes.title')}</h4>
      <label className="check">
        <input type="checkbox" data-testid="boxes-truth" checked={showTruth} onChange={(e) => onTruth(e.target.checked)} />
        {t('results.boxes.showTruth', { count: count('truth') })}
      </label>
      <label className="check">
        <input type="checkbox" data-testid="boxes-prediction" checked={showPredictions} onChange={(e) => onPredictions(e.target.checked)} />
        {t('results.boxes.showPredictions', { count: count('prediction') })}
      </label>
      <ul className="box-legend-keys">
        {(['tp', 'fp', 'fn'] as const).map((o) => (
          <li key={o}>
            <svg width="14" height="10" aria-hidden="true">
              <rect x="1" y="1" width="12" height="8" fill="none" stroke={OUTCOME_COLOURS[o]} strokeWidth={2} />
            </svg>
            {t(`results.boxes.${o}`)}
          </li>
        ))}
      </ul>
      <p className="hint">{t('results.boxes.dashes')}</p>
    </section>
  );
}
