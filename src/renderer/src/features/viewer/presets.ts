/**
 * Window/level presets for CT in Hounsfield units (DESIGN §2.2). The values are the common
 * radiology defaults (width, centre); they apply to any greyscale image, where they only make
 * sense for CT.
 */
export const WINDOW_PRESETS = {
  lung: { windowWidth: 1500, windowCenter: -600 },
  mediastinum: { windowWidth: 350, windowCenter: 50 },
  bone: { windowWidth: 2000, windowCenter: 500 },
  brain: { windowWidth: 80, windowCenter: 40 },
} as const satisfies Record<string, { windowWidth: number; windowCenter: number }>;

export type WindowPresetId = keyof typeof WINDOW_PRESETS;
export const WINDOW_PRESET_IDS = Object.keys(WINDOW_PRESETS) as WindowPresetId[];

/**
 * A preset as a VOI in stored-pixel units: Cornerstone applies the modality LUT (slope and
 * intercept) before the VOI, so HU values are used as they are.
 */
export function presetVoi(id: WindowPresetId): { windowWidth: number; windowCenter: number } {
  const p = WINDOW_PRESETS[id];
  return { windowWidth: p.windowWidth, windowCenter: p.windowCenter };
}
