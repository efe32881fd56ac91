import { create } from 'zustand';
import type { UnavailableReason } from './image-loader';
import type { PrimaryTool, Workflow } from './tools';

/** What the viewport shows now: plain data for React; the engine objects stay in the service. */
export type ImageStatus =
  | { readonly state: 'idle' }
  | { readonly state: 'loading'; readonly imageId: string }
  | { readonly state: 'shown'; readonly imageId: string }
  | { readonly state: 'unavailable'; readonly imageId: string; readonly reason: UnavailableReason; readonly detail: string };

export interface ViewportInfo {
  readonly windowWidth: number;
  readonly windowCenter: number;
  readonly scale: number;
  readonly invert: boolean;
}

interface ViewerState {
  readonly imageIds: readonly string[];
  readonly index: number;
  readonly status: ImageStatus;
  readonly workflow: Workflow;
  readonly primaryTool: PrimaryTool;
  readonly viewport: ViewportInfo | null;
  readonly pixelSpacing: readonly [number, number] | null;
}

export const initialViewerState: ViewerState = {
  imageIds: [],
  index: 0,
  status: { state: 'idle' },
  workflow: 'view',
  primaryTool: 'Wwwc',
  viewport: null,
  pixelSpacing: null,
};

/** Written only by the viewer service; components read it through narrow selectors. */
export const useViewerStore = create<ViewerState>()(() => initialViewerState);
