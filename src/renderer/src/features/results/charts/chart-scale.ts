/** Shared pieces of the results charts (plain SVG: no charting library, nothing evaluated at run time, CSP-safe). */

/** Distinguishable on white, and for the common colour-vision deficiencies (Okabe–Ito). */
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

export function seriesColour(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length] as string;
}

/** A heat-map fill: white at 0, the full colour at 1 (`t` clamped), as an rgb() attribute value. */
export function heat(t: number, rgb: readonly [number, number, number]): string {
  const k = Math.max(0, Math.min(1, t));
  const mix = (c: number) => Math.round(255 + (c - 255) * k);
  return `rgb(${mix(rgb[0])}, ${mix(rgb[1])}, ${mix(rgb[2])})`;
}

/** Dark text on light cells, white on dark ones. */
export function textOn(t: number): string {
  return t > 0.55 ? '#ffffff' : '#1b2430';
}

/** Linear map of [d0, d1] onto [r0, r1]. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** A label that fits a small axis: long class names are cut with an ellipsis (the full name is in the tooltip). */
export function shortLabel(text: string, max = 12): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
