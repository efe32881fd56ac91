import type { Mark, Point } from '../../../../shared/labeling';

/** A mutable point, as zod's output type of mark geometry has it. */
type P = [number, number];
import { LESION_TOOLS, SHAPE_OF_TOOL, TOOL_OF_SHAPE, isLesionTool, type LesionTool } from './tools';

/**
 * Tool state ↔ marks: the one translation between cornerstone-tools' per-image tool state and
 * the backend's marks (src/shared/labeling/marks.ts). Pure, so the round trip is unit-tested.
 *
 * - Coordinates: cornerstone's image pixel coordinates already have the origin at the top-left
 *   corner of the top-left pixel, x right, y down, exactly like mark geometry: no transform.
 * - Rounding: geometry is rounded to 1/1000 px when read from the tool state. That is far below
 *   what a mouse can place, and it makes marks → tool state → marks the identity (reopening
 *   shows exactly what was saved, issue 4 item 5).
 * - Identity, class and order ride on the tool data as `midc*` fields that cornerstone-tools
 *   carries along untouched.
 */

/** The fields MIDC adds to a cornerstone-tools measurement. */
export interface MidcFields {
  midcId?: string;
  midcClass?: string;
  midcAttributes?: Record<string, string | number>;
  /** Creation order: the marks of an image keep their order across tools. */
  midcSeq?: number;
}

export interface Handle {
  x: number;
  y: number;
  [key: string]: unknown;
}

/** The part of a cornerstone-tools measurement this module reads or writes. */
export interface ToolData extends MidcFields {
  visible?: boolean;
  active?: boolean;
  invalidated?: boolean;
  color?: string | undefined;
  text?: string;
  handles: Record<string, unknown> & {
    start?: Handle;
    end?: Handle;
    perpendicularStart?: Handle;
    perpendicularEnd?: Handle;
    points?: Handle[];
  };
  [key: string]: unknown;
}

/** One image's tool state as `globalImageIdSpecificToolStateManager` keeps it. */
export type ImageToolState = Partial<Record<string, { data: ToolData[] }>>;

export const round = (v: number): number => Math.round(v * 1000) / 1000;
const pt = (h: Handle | undefined): P => [round(h?.x ?? NaN), round(h?.y ?? NaN)];
const finite = (p: Point) => Number.isFinite(p[0]) && Number.isFinite(p[1]);
const same = (a: Point, b: Point) => a[0] === b[0] && a[1] === b[1];

/** A measurement that cannot become a valid mark (a click without a drag, a broken outline). */
export interface Rejected {
  readonly tool: LesionTool;
  readonly data: ToolData;
}

export interface Extracted {
  readonly marks: Mark[];
  readonly rejected: Rejected[];
}

function geometryOf(tool: LesionTool, d: ToolData): Mark['geometry'] | null {
  const h = d.handles;
  switch (tool) {
    case 'RectangleRoi': {
      const [a, b] = [pt(h.start), pt(h.end)];
      const g = { x: Math.min(a[0], b[0]), y: Math.min(a[1], b[1]), width: round(Math.abs(b[0] - a[0])), height: round(Math.abs(b[1] - a[1])) };
      return finite(a) && finite(b) && g.width > 0 && g.height > 0 ? g : null;
    }
    case 'EllipticalRoi': {
      const [a, b] = [pt(h.start), pt(h.end)];
      const g = { cx: round((a[0] + b[0]) / 2), cy: round((a[1] + b[1]) / 2), rx: round(Math.abs(b[0] - a[0]) / 2), ry: round(Math.abs(b[1] - a[1]) / 2) };
      return finite(a) && finite(b) && g.rx > 0 && g.ry > 0 ? g : null;
    }
    case 'FreehandRoi': {
      const points = (h.points ?? []).map(pt);
      return points.length >= 3 && points.every(finite) ? { points } : null;
    }
    case 'Length': {
      const [start, end] = [pt(h.start), pt(h.end)];
      return finite(start) && finite(end) && !same(start, end) ? { start, end } : null;
    }
    case 'ArrowAnnotate': {
      // With `arrowFirst` (the default) the head is drawn at `handles.start`: that is the tip.
      const [tip, tail] = [pt(h.start), pt(h.end)];
      return finite(tip) && finite(tail) && !same(tip, tail) ? { start: tail, end: tip } : null;
    }
    case 'Bidirectional': {
      const long: [P, P] = [pt(h.start), pt(h.end)];
      const short: [P, P] = [pt(h.perpendicularStart), pt(h.perpendicularEnd)];
      return [...long, ...short].every(finite) && !same(...long) ? { long, short } : null;
    }
    case 'Probe': {
      const point = pt(h.end);
      return finite(point) ? { point } : null;
    }
  }
}

/**
 * The marks of one image from its tool state, in creation order. Measurements without an id
 * or class (not yet claimed by the workspace) are skipped; invalid geometry is rejected.
 */
export function toolStateToMarks(state: ImageToolState, frame = 0): Extracted {
  const found: { seq: number; mark: Mark }[] = [];
  const rejected: Rejected[] = [];
  for (const tool of LESION_TOOLS) {
    for (const d of state[tool]?.data ?? []) {
      if (!d.midcId || !d.midcClass) continue;
      const geometry = geometryOf(tool, d);
      if (!geometry) {
        rejected.push({ tool, data: d });
        continue;
      }
      const mark = {
        id: d.midcId,
        class: d.midcClass,
        shape: SHAPE_OF_TOOL[tool],
        frame,
        geometry,
        attributes: { ...(d.midcAttributes ?? {}) },
        ...(tool === 'ArrowAnnotate' && d.text ? { text: d.text } : {}),
      } as Mark;
      found.push({ seq: d.midcSeq ?? 0, mark });
    }
  }
  found.sort((a, b) => a.seq - b.seq);
  return { marks: found.map((f) => f.mark), rejected };
}

const handle = (p: Point, extra: Record<string, unknown> = {}): Handle => ({ x: p[0], y: p[1], highlight: true, active: false, ...extra });
const textBox = () => ({ active: false, hasMoved: false, movesIndependently: false, drawnIndependently: true, allowedOutsideImage: true, hasBoundingBox: true });

function handlesOf(m: Mark): ToolData['handles'] {
  switch (m.shape) {
    case 'rectangle': {
      const { x, y, width, height } = m.geometry;
      return { start: handle([x, y]), end: handle([x + width, y + height]), initialRotation: 0, textBox: textBox() };
    }
    case 'ellipse': {
      const { cx, cy, rx, ry } = m.geometry;
      return { start: handle([cx - rx, cy - ry]), end: handle([cx + rx, cy + ry]), initialRotation: 0, textBox: textBox() };
    }
    case 'freehand': {
      const pts = m.geometry.points;
      // Each freehand handle lists the segment to the next vertex; the last closes the outline.
      const points = pts.map((p, i) => {
        const next = pts[(i + 1) % pts.length] as Point;
        return handle(p, { lines: [{ x: next[0], y: next[1] }] });
      });
      return { points, textBox: textBox() };
    }
    case 'length':
      return { start: handle(m.geometry.start), end: handle(m.geometry.end), textBox: textBox() };
    case 'arrow':
      return { start: handle(m.geometry.end), end: handle(m.geometry.start), textBox: textBox() };
    case 'bidirectional': {
      const [s, e] = m.geometry.long;
      const [ps, pe] = m.geometry.short;
      return {
        start: handle(s, { index: 0, drawnIndependently: false, allowedOutsideImage: false }),
        end: handle(e, { index: 1, drawnIndependently: false, allowedOutsideImage: false }),
        perpendicularStart: handle(ps, { index: 2, drawnIndependently: false, allowedOutsideImage: false, locked: false }),
        perpendicularEnd: handle(pe, { index: 3, drawnIndependently: false, allowedOutsideImage: false }),
        textBox: { ...textBox(), x: s[0], y: s[1], index: null, highlight: false },
      };
    }
    case 'probe':
      return { end: handle(m.geometry.point) };
  }
}

/**
 * The tool state of one image for these marks (marks of other frames are left out). `colorOf`
 * gives each mark its class colour. Every measurement is `invalidated` so that cornerstone-tools
 * recomputes its statistics (area, mean, mm) on the next draw.
 */
export function marksToToolState(marks: readonly Mark[], frame = 0, colorOf: (cls: string) => string | undefined = () => undefined): ImageToolState {
  const state: ImageToolState = {};
  marks.forEach((m, seq) => {
    if (m.frame !== frame) return;
    const tool = TOOL_OF_SHAPE[m.shape];
    const data: ToolData = {
      visible: true,
      active: false,
      invalidated: true,
      color: colorOf(m.class),
      handles: handlesOf(m),
      midcId: m.id,
      midcClass: m.class,
      midcAttributes: { ...m.attributes },
      midcSeq: seq,
    };
    if (m.shape === 'arrow') data.text = m.text ?? '';
    if (m.shape === 'bidirectional') Object.assign(data, { toolName: tool, toolType: tool, isCreating: false, longestDiameter: 0, shortestDiameter: 0 });
    (state[tool] ??= { data: [] }).data.push(data);
  });
  return state;
}

/** Whether a tool-state key is one of ours (the stack and navigation tools keep state too). */
export function isMarkTool(name: string): boolean {
  return isLesionTool(name);
}
