/**
 * The slice of the legacy Cornerstone APIs the viewer uses, typed once here. cornerstone-core
 * has community types; cornerstone-tools and the wado loader have none (see
 * cornerstone-shims.d.ts), so their surface is spelled out as far as we call it.
 */
import type * as Core from 'cornerstone-core';
import type { ImageToolState, ToolData } from './marks-convert';

export type CornerstoneCore = typeof Core;
export type Viewport = Core.Viewport;

/** A Cornerstone image as our loader builds it (looser than @types' `Image`). */
export interface CornerstoneImage {
  imageId: string;
  rowPixelSpacing?: number | undefined;
  columnPixelSpacing?: number | undefined;
  color?: boolean;
  data?: unknown;
  [key: string]: unknown;
}

export interface ToolState {
  data: ToolData[];
}

export interface CornerstoneTools {
  external: { cornerstone: unknown; cornerstoneMath: unknown; Hammer: unknown };
  init(config: Record<string, unknown>): void;
  addToolForElement(element: HTMLElement, tool: unknown, props?: Record<string, unknown>): void;
  removeToolForElement(element: HTMLElement, name: string): void;
  setToolActiveForElement(element: HTMLElement, name: string, options: Record<string, unknown>): void;
  setToolPassiveForElement(element: HTMLElement, name: string): void;
  setToolEnabledForElement(element: HTMLElement, name: string): void;
  setToolDisabledForElement(element: HTMLElement, name: string): void;
  addStackStateManager(element: HTMLElement, names: string[]): void;
  addToolState(element: HTMLElement, name: string, data: unknown): void;
  getToolState(element: HTMLElement, name: string): ToolState | undefined;
  clearToolState(element: HTMLElement, name: string): void;
  removeToolState(element: HTMLElement, name: string, data: unknown): void;
  scrollToIndex(element: HTMLElement, index: number): void;
  globalImageIdSpecificToolStateManager: {
    saveImageIdToolState(imageId: string): ImageToolState | undefined;
    restoreImageIdToolState(imageId: string, state: ImageToolState): void;
  };
  toolColors: { setToolColor(c: string): void; setActiveColor(c: string): void };
  toolStyle: { setToolWidth(w: number): void };
  EVENTS: Record<string, string>;
  [toolClass: string]: unknown;
}

/** The wado loader, as far as the viewer calls it. */
export interface WadoLoader {
  external: { cornerstone: unknown; dicomParser: unknown };
  webWorkerManager: { initialize(config: Record<string, unknown>): void };
  createImage(imageId: string, pixelData: Uint8Array, transferSyntax: string, options: object): Promise<unknown>;
  wadouri: {
    loadImage(imageId: string, options: { loader: () => Promise<ArrayBuffer> }): { promise: Promise<unknown> };
    parseImageId(imageId: string): unknown;
    dataSetCacheManager: { load(uri: string, loader: () => Promise<ArrayBuffer>, imageId: string): Promise<unknown> };
    getEncapsulatedImageFrame(dataSet: unknown, frame: number): Uint8Array;
    metaData: { metaDataProvider(type: string, imageId: string): Record<string, unknown> | undefined };
  };
}

export interface Libraries {
  readonly core: CornerstoneCore;
  readonly tools: CornerstoneTools;
  readonly wado: WadoLoader;
}
