import { describe, expect, it } from 'vitest';
import { parseImageId, toImageId } from './image-id';
import { WINDOW_PRESETS, presetVoi } from './presets';
import { LESION_TOOLS, MOUSE, SHAPE_OF_TOOL, TOOL_OF_SHAPE, toolBindings } from './tools';

describe('tool bindings per workflow', () => {
  it('annotating: the chosen lesion tool on the left button, every other lesion tool passive (editable)', () => {
    const b = toolBindings('annotate', 'EllipticalRoi');
    expect(b.find((x) => x.tool === 'EllipticalRoi')).toEqual({ tool: 'EllipticalRoi', mode: 'active', mouseButtonMask: MOUSE.left });
    for (const tool of LESION_TOOLS.filter((t) => t !== 'EllipticalRoi')) expect(b.find((x) => x.tool === tool)?.mode).toBe('passive');
    expect(b.find((x) => x.tool === 'Pan')).toEqual({ tool: 'Pan', mode: 'active', mouseButtonMask: MOUSE.middle });
    expect(b.find((x) => x.tool === 'Zoom')).toEqual({ tool: 'Zoom', mode: 'active', mouseButtonMask: MOUSE.right });
    expect(b.find((x) => x.tool === 'Wwwc')?.mode).toBe('passive');
  });

  it('viewing: marks are drawn but not editable, and a lesion tool falls back to window/level', () => {
    const b = toolBindings('view', 'Length');
    for (const tool of LESION_TOOLS) expect(b.find((x) => x.tool === tool)?.mode).toBe('enabled');
    expect(b.find((x) => x.tool === 'Wwwc')).toEqual({ tool: 'Wwwc', mode: 'active', mouseButtonMask: MOUSE.left });
  });

  it('never binds one mouse button to two tools', () => {
    for (const primary of ['Wwwc', 'Pan', 'Zoom', ...LESION_TOOLS] as const) {
      for (const workflow of ['annotate', 'view'] as const) {
        const masks = toolBindings(workflow, primary).flatMap((x) => (x.mouseButtonMask ? [x.mouseButtonMask] : []));
        const bits = masks.reduce((acc, m) => acc + m, 0);
        expect(masks.reduce((acc, m) => acc | m, 0), `${workflow}/${primary}`).toBe(bits);
      }
    }
  });

  it('maps every lesion tool to one mark shape and back', () => {
    for (const tool of LESION_TOOLS) expect(TOOL_OF_SHAPE[SHAPE_OF_TOOL[tool]]).toBe(tool);
  });
});

describe('window presets', () => {
  it('uses the usual CT windows in HU', () => {
    expect(WINDOW_PRESETS).toEqual({
      lung: { windowWidth: 1500, windowCenter: -600 },
      mediastinum: { windowWidth: 350, windowCenter: 50 },
      bone: { windowWidth: 2000, windowCenter: 500 },
      brain: { windowWidth: 80, windowCenter: 40 },
    });
    expect(presetVoi('brain')).toEqual({ windowWidth: 80, windowCenter: 40 });
  });
});

describe('image ids', () => {
  it('round-trips image and frame', () => {
    expect(toImageId(12)).toBe('midc:12');
    expect(parseImageId(toImageId(12))).toEqual({ id: 12, frame: 0 });
    expect(parseImageId(toImageId(7, 3))).toEqual({ id: 7, frame: 3 });
    expect(parseImageId('wadouri:12')).toBeNull();
  });
});
