import type { ShapeType } from '../../../../shared/labeling';

/**
 * Tool setup as data (HOUSE-STYLE 17, after OHIF's tool groups): which cornerstone-tools tool
 * is active on which mouse button, which are passive (their marks can still be picked and
 * edited) and which are only enabled (drawn, not editable). The service applies a mode; React
 * never touches the tools.
 */

/** cornerstone-tools' mouse button masks. */
export const MOUSE = { left: 1, right: 2, middle: 4 } as const;

/** Every cornerstone-tools tool the viewer registers, by its tool name. */
/** The wheel scrolls the stack through the service, not a tool: it shows each image with its own default viewport. */
export const NAVIGATION_TOOLS = ['Wwwc', 'Pan', 'Zoom'] as const;
export const LESION_TOOLS = ['RectangleRoi', 'EllipticalRoi', 'FreehandRoi', 'Length', 'Bidirectional', 'Probe', 'ArrowAnnotate'] as const;

export type NavigationTool = (typeof NAVIGATION_TOOLS)[number];
export type LesionTool = (typeof LESION_TOOLS)[number];
export type ToolName = NavigationTool | LesionTool;

/** The mark shape each lesion tool draws (src/shared/labeling/schema.ts). */
export const SHAPE_OF_TOOL: Record<LesionTool, ShapeType> = {
  RectangleRoi: 'rectangle',
  EllipticalRoi: 'ellipse',
  FreehandRoi: 'freehand',
  Length: 'length',
  Bidirectional: 'bidirectional',
  Probe: 'probe',
  ArrowAnnotate: 'arrow',
};

export const TOOL_OF_SHAPE: Record<ShapeType, LesionTool> = Object.fromEntries(
  Object.entries(SHAPE_OF_TOOL).map(([tool, shape]) => [shape, tool]),
) as Record<ShapeType, LesionTool>;

export function isLesionTool(name: string): name is LesionTool {
  return (LESION_TOOLS as readonly string[]).includes(name);
}

export type ToolMode = 'active' | 'passive' | 'enabled' | 'disabled';

export interface ToolBinding {
  readonly tool: ToolName;
  readonly mode: ToolMode;
  /** For `active`: the mouse buttons that drive the tool (a MOUSE mask). */
  readonly mouseButtonMask?: number;
}

/** What the left button does; the other buttons and the wheel stay the same in every mode. */
export type PrimaryTool = 'Wwwc' | 'Pan' | 'Zoom' | LesionTool;

/** Whether marks may be drawn and edited (annotating) or only looked at (viewing). */
export type Workflow = 'annotate' | 'view';

/**
 * The tool bindings of a workflow with a given primary (left-button) tool:
 * - middle button pans, right button zooms, always (the wheel scrolls the stack: see the service);
 * - the primary tool is active on the left button;
 * - annotating: the other lesion tools are passive, so every mark stays selectable and editable;
 * - viewing: lesion tools are only enabled (marks drawn, not editable) and cannot be primary.
 */
export function toolBindings(workflow: Workflow, primary: PrimaryTool): ToolBinding[] {
  const effective: PrimaryTool = workflow === 'view' && isLesionTool(primary) ? 'Wwwc' : primary;
  const bindings: ToolBinding[] = [];
  const navButtons: Record<'Wwwc' | 'Pan' | 'Zoom', number> = { Wwwc: 0, Pan: MOUSE.middle, Zoom: MOUSE.right };
  for (const tool of ['Wwwc', 'Pan', 'Zoom'] as const) {
    const mask = navButtons[tool] | (effective === tool ? MOUSE.left : 0);
    bindings.push(mask ? { tool, mode: 'active', mouseButtonMask: mask } : { tool, mode: 'passive' });
  }
  for (const tool of LESION_TOOLS) {
    if (tool === effective) bindings.push({ tool, mode: 'active', mouseButtonMask: MOUSE.left });
    else bindings.push({ tool, mode: workflow === 'annotate' ? 'passive' : 'enabled' });
  }
  return bindings;
}
