import type { Mark, ShapeType } from '../../../../shared/labeling';
import type { CornerstoneImage, Libraries } from './cornerstone-types';
import { parseImageId } from './image-id';
import { pixelSpacingOf, unavailableReasonOf } from './image-loader';
import { marksToToolState, toolStateToMarks, type ToolData } from './marks-convert';
import { PREFETCH_CONCURRENCY, StackPrefetcher } from './prefetch';
import { presetVoi, type WindowPresetId } from './presets';
import { markLibrariesReady, markRendered, markWarmIdle } from './render-marks';
import { LESION_TOOLS, NAVIGATION_TOOLS, SHAPE_OF_TOOL, isLesionTool, toolBindings, type PrimaryTool, type Workflow } from './tools';
import { useViewerStore } from './viewer-store';

/** How the workspace plugs its marks into the viewer; every hook is optional. */
export interface MarkHooks {
  /** Awaited before an image is displayed: put its saved marks into the tool state (`setMarks`). */
  prepare?(imageId: string): Promise<void>;
  /** The class a new mark of this shape gets; null when the schema allows the shape for no class. */
  classFor?(shape: ShapeType): { name: string; color: string } | null;
  colorOf?(cls: string): string | undefined;
  /** The person changed the marks of an image with the tools (draw, move, resize, remove). */
  changed?(imageId: string, marks: Mark[]): void;
  selected?(markId: string): void;
  /** A drawn mark was dropped: no class allows its shape. */
  rejected?(shape: ShapeType): void;
  shown?(index: number, imageId: string): void;
}

interface MeasurementEventDetail {
  toolName: string;
  measurementData: ToolData;
}

const frameOf = (imageId: string) => parseImageId(imageId)?.frame ?? 0;

/**
 * Owns Cornerstone (HOUSE-STYLE 17): the enabled element, its tools, the image stack and the
 * tool state. React hosts the element (<Viewport>) and reads plain data from the viewer store;
 * it never holds an engine object. One viewport at a time, so one instance.
 */
export class ViewerService {
  private libs: Libraries | null = null;
  private loading: Promise<Libraries> | null = null;
  private element: HTMLElement | null = null;
  private attachToken = 0;
  private showToken = 0;
  private hooks: MarkHooks = {};
  /** The marks last reported or set per image, as JSON: a sync reports only real changes. */
  private readonly known = new Map<string, string>();
  private dirty = false;
  private syncing = false;
  private nextSeq = Date.now();
  private readonly offs: (() => void)[] = [];
  /** Loads the images after the shown one into Cornerstone's cache while it is looked at. */
  private readonly prefetcher = new StackPrefetcher(
    // Pixels and saved marks both: the next image then shows without waiting on either.
    (imageId) => (this.libs ? Promise.all([this.libs.core.loadAndCacheImage(imageId), this.hooks.prepare?.(imageId)]) : Promise.resolve()),
    (imageId) => this.libs?.core.imageCache.getImageLoadObject(imageId) !== undefined,
    PREFETCH_CONCURRENCY,
  );

  /** Loads and initialises the Cornerstone libraries once (their own chunk). */
  load(): Promise<Libraries> {
    this.loading ??= import('./cornerstone-libs').then(
      (m) => {
        markLibrariesReady();
        return (this.libs = m.libraries);
      },
      (err: unknown) => {
        // A failed load is not cached: the next viewport tries again and reports its own error.
        this.loading = null;
        throw err;
      },
    );
    return this.loading;
  }

  /**
   * Loads the libraries once the page is idle, ahead of a first viewport (the inbox calls it:
   * a ticket opened from there then waits for its image, not for the Cornerstone chunk).
   */
  preload(): void {
    if (this.loading) return;
    // A warm-up only: a failure here is reported by the viewport that needs the libraries.
    const go = () => void this.load().catch(() => undefined);
    if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout: 2000 });
    else setTimeout(go, 0);
  }

  /**
   * Loads a few images into Cornerstone's cache once the page is idle, one after another, ahead
   * of a stack that is likely to open next (the inbox's first tickets): opening it then draws a
   * cached image. Bounded by the caller (a handful of images); each read goes through the same
   * loader and `images:file` channel as a shown image (audited there). Failures are left for
   * the viewport to report when the image is shown.
   */
  warm(imageIds: readonly string[]): void {
    if (imageIds.length === 0) return;
    const go = () =>
      void (async () => {
        const libs = await this.load();
        for (const id of imageIds) {
          if (libs.core.imageCache.getImageLoadObject(id) !== undefined) continue;
          await Promise.resolve(libs.core.loadAndCacheImage(id)).catch(() => undefined);
        }
      })()
        .catch(() => undefined)
        .finally(markWarmIdle);
    if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout: 1000 });
    else setTimeout(go, 0);
  }

  setHooks(hooks: MarkHooks): () => void {
    this.hooks = hooks;
    return () => {
      if (this.hooks === hooks) this.hooks = {};
    };
  }

  /** Called by <Viewport> on mount. */
  async attach(element: HTMLElement): Promise<void> {
    const token = ++this.attachToken;
    const libs = await this.load();
    // The host may have unmounted while the libraries loaded.
    if (token !== this.attachToken) return;
    const { core, tools } = libs;
    // Order: enable first (cornerstone-tools adds its mouse listeners on ELEMENT_ENABLED), then
    // the tools, then their modes, then our listeners, then the first image.
    core.enable(element);
    this.element = element;
    for (const name of [...NAVIGATION_TOOLS, ...LESION_TOOLS]) {
      const props =
        name === 'ArrowAnnotate'
          ? {
              // The default callbacks use window.prompt; the arrow's meaning is its class.
              configuration: {
                allowEmptyLabel: true,
                getTextCallback: (done: (text: string) => void) => done(''),
                changeTextCallback: (data: ToolData, _e: unknown, done: (text: string) => void) => done(data.text ?? ''),
              },
            }
          : {};
      tools.addToolForElement(element, tools[`${name}Tool`], props);
    }
    this.applyTools();
    this.listen(element);
    const { imageIds, index } = useViewerStore.getState();
    if (imageIds.length > 0) void this.show(index);
  }

  /** Called by <Viewport> on unmount. */
  detach(element: HTMLElement): void {
    this.attachToken++;
    if (this.element !== element || !this.libs) return;
    // Order: report a pending edit while the image is still there; then drop our listeners so
    // nothing reacts to the teardown; then disable (cornerstone-tools forgets the element on
    // ELEMENT_DISABLED; the per-image tool state stays in its global manager).
    if (this.dirty) this.sync();
    this.prefetcher.stop();
    for (const off of this.offs.splice(0)) off();
    this.libs.core.disable(element);
    this.element = null;
    useViewerStore.setState({ status: { state: 'idle' }, viewport: null });
  }

  /** Opens a stack of images (a ticket's images in order) at `index`. */
  async open(imageIds: readonly string[], index = 0, workflow: Workflow = 'view'): Promise<void> {
    if (this.dirty) this.sync();
    this.prefetcher.stop();
    const { primaryTool } = useViewerStore.getState();
    useViewerStore.setState({ imageIds: [...imageIds], index, workflow, primaryTool: workflow === 'view' && isLesionTool(primaryTool) ? 'Wwwc' : primaryTool });
    this.applyTools();
    if (imageIds.length === 0) {
      this.showToken++;
      useViewerStore.setState({ status: { state: 'idle' } });
      return;
    }
    if (this.element) await this.show(index);
  }

  /** Shows image `index` of the stack with its own default viewport (STACK-NOTES §3). */
  async show(index: number): Promise<void> {
    const { imageIds } = useViewerStore.getState();
    const imageId = imageIds[index];
    if (imageId === undefined) return;
    if (this.dirty) this.sync();
    const token = ++this.showToken;
    useViewerStore.setState({ index, status: { state: 'loading', imageId } });
    const libs = await this.load();
    try {
      // The pixels and the saved marks load at once (the marks are an IPC call of their own).
      const loading = Promise.all([libs.core.loadAndCacheImage(imageId) as unknown as Promise<CornerstoneImage>, this.hooks.prepare?.(imageId)]);
      // The next images start loading behind this one at once, not once it is drawn: keys
      // pressed right after opening find them on their way.
      if (token === this.showToken) this.prefetcher.start(imageIds, index);
      const [image] = await loading;
      const element = this.element;
      if (token !== this.showToken || !element) return;
      const core = libs.core;
      const img = image as never;
      core.displayImage(element, img, core.getDefaultViewportForImage(element, img));
      const spacing =
        image.rowPixelSpacing && image.columnPixelSpacing ? ([image.rowPixelSpacing, image.columnPixelSpacing] as const) : pixelSpacingOf(imageId);
      useViewerStore.setState({ status: { state: 'shown', imageId }, pixelSpacing: spacing });
      this.hooks.shown?.(index, imageId);
    } catch (err) {
      if (token !== this.showToken) return;
      const { reason, detail } = unavailableReasonOf(err);
      useViewerStore.setState({ status: { state: 'unavailable', imageId, reason, detail }, pixelSpacing: null });
      this.hooks.shown?.(index, imageId);
    }
  }

  step(delta: number): void {
    const { index, imageIds } = useViewerStore.getState();
    const next = Math.max(0, Math.min(imageIds.length - 1, index + delta));
    if (next !== index) void this.show(next);
  }

  currentImageId(): string | null {
    const { imageIds, index } = useViewerStore.getState();
    return imageIds[index] ?? null;
  }

  setPrimaryTool(tool: PrimaryTool): void {
    if (useViewerStore.getState().workflow === 'view' && isLesionTool(tool)) return;
    useViewerStore.setState({ primaryTool: tool });
    this.applyTools();
  }

  applyPreset(id: WindowPresetId): void {
    this.updateViewport((v) => ({ ...v, voi: presetVoi(id) }));
  }

  toggleInvert(): void {
    this.updateViewport((v) => ({ ...v, invert: !v.invert }));
  }

  zoom(factor: number): void {
    this.updateViewport((v) => ({ ...v, scale: v.scale * factor }));
  }

  /** The host element changed size: cornerstone redraws its canvas to fit. */
  resize(): void {
    if (this.libs && this.element) this.libs.core.resize(this.element, false);
  }

  reset(): void {
    if (this.libs && this.shownElement()) this.libs.core.reset(this.shownElement() as HTMLElement);
  }

  /** Puts marks into the tool state of an image (loading saved marks, undo, redo). */
  async setMarks(imageId: string, marks: readonly Mark[]): Promise<void> {
    const { tools, core } = await this.load();
    const state = marksToToolState(marks, frameOf(imageId), (c) => this.hooks.colorOf?.(c));
    tools.globalImageIdSpecificToolStateManager.restoreImageIdToolState(imageId, state);
    this.known.set(imageId, JSON.stringify(toolStateToMarks(state, frameOf(imageId)).marks));
    const element = this.shownElement();
    if (element && this.currentImageId() === imageId) core.updateImage(element);
  }

  /** The marks of an image as the tool state holds them now. */
  marksOf(imageId: string): Mark[] {
    if (!this.libs) return [];
    const state = this.libs.tools.globalImageIdSpecificToolStateManager.saveImageIdToolState(imageId) ?? {};
    return toolStateToMarks(state, frameOf(imageId)).marks;
  }

  /** Removes a mark of the shown image (the workspace records it as a change). */
  deleteMark(markId: string): boolean {
    const found = this.findData(markId);
    if (!found || !this.libs || !this.element) return false;
    this.libs.tools.removeToolState(this.element, found.tool, found.data);
    this.libs.core.updateImage(this.element);
    this.sync();
    return true;
  }

  setMarkClass(markId: string, cls: string, color: string | undefined): boolean {
    const found = this.findData(markId);
    if (!found || !this.libs || !this.element) return false;
    found.data.midcClass = cls;
    found.data.color = color;
    this.libs.core.updateImage(this.element);
    this.sync();
    return true;
  }

  /** Replaces a mark's attributes (size, confidence...: the schema's per-class fields). */
  setMarkAttributes(markId: string, attributes: Record<string, string | number>): boolean {
    const found = this.findData(markId);
    if (!found) return false;
    found.data.midcAttributes = { ...attributes };
    this.sync();
    return true;
  }

  /** Highlights the selected mark in the active colour. */
  highlight(markId: string | null): void {
    const imageId = this.currentImageId();
    if (!this.libs || !this.element || !imageId) return;
    const state = this.libs.tools.globalImageIdSpecificToolStateManager.saveImageIdToolState(imageId) ?? {};
    for (const tool of LESION_TOOLS) for (const d of state[tool]?.data ?? []) d.active = d.midcId === markId;
    if (this.shownElement()) this.libs.core.updateImage(this.element);
  }

  // ---- internals ----

  private shownElement(): HTMLElement | null {
    return this.element && useViewerStore.getState().status.state === 'shown' ? this.element : null;
  }

  private findData(markId: string): { tool: string; data: ToolData } | null {
    const imageId = this.currentImageId();
    if (!this.libs || !imageId) return null;
    const state = this.libs.tools.globalImageIdSpecificToolStateManager.saveImageIdToolState(imageId) ?? {};
    for (const tool of LESION_TOOLS) {
      const data = state[tool]?.data.find((d) => d.midcId === markId);
      if (data) return { tool, data };
    }
    return null;
  }

  private applyTools(): void {
    const element = this.element;
    if (!element || !this.libs) return;
    const { tools } = this.libs;
    const { workflow, primaryTool } = useViewerStore.getState();
    for (const b of toolBindings(workflow, primaryTool)) {
      if (b.mode === 'active') tools.setToolActiveForElement(element, b.tool, { mouseButtonMask: b.mouseButtonMask });
      else if (b.mode === 'passive') tools.setToolPassiveForElement(element, b.tool);
      else if (b.mode === 'enabled') tools.setToolEnabledForElement(element, b.tool);
      else tools.setToolDisabledForElement(element, b.tool);
    }
  }

  private updateViewport(change: (v: NonNullable<ReturnType<Libraries['core']['getViewport']>>) => object): void {
    const element = this.shownElement();
    if (!element || !this.libs) return;
    const viewport = this.libs.core.getViewport(element);
    if (viewport) this.libs.core.setViewport(element, change(viewport) as never);
  }

  /** Reads the shown image's tool state and reports its marks if they changed. */
  private sync(): void {
    this.dirty = false;
    const imageId = this.currentImageId();
    if (!this.libs || !imageId || this.syncing) return;
    const state = this.libs.tools.globalImageIdSpecificToolStateManager.saveImageIdToolState(imageId) ?? {};
    const { marks } = toolStateToMarks(state, frameOf(imageId));
    const json = JSON.stringify(marks);
    if (this.known.get(imageId) === json) return;
    this.known.set(imageId, json);
    this.hooks.changed?.(imageId, marks);
  }

  private listen(element: HTMLElement): void {
    const { tools, core } = this.libs as Libraries;
    const E = tools.EVENTS;
    const on = (target: EventTarget, type: string, fn: (e: Event) => void, options?: AddEventListenerOptions) => {
      target.addEventListener(type, fn, options);
      this.offs.push(() => target.removeEventListener(type, fn, options));
    };
    const detail = (e: Event) => (e as CustomEvent<MeasurementEventDetail>).detail;

    // A new measurement: give it an id and the class chosen for its shape.
    on(element, E.MEASUREMENT_ADDED as string, (e) => {
      const { toolName, measurementData: d } = detail(e);
      if (!isLesionTool(toolName) || d.midcId) return;
      const shape = SHAPE_OF_TOOL[toolName];
      const cls = this.hooks.classFor?.(shape) ?? null;
      d.midcId = crypto.randomUUID();
      d.midcSeq = ++this.nextSeq;
      d.midcAttributes = {};
      if (cls) {
        d.midcClass = cls.name;
        d.color = cls.color;
      }
    });
    on(element, E.MEASUREMENT_COMPLETED as string, (e) => {
      const { toolName, measurementData: d } = detail(e);
      if (!isLesionTool(toolName)) return;
      const { rejected } = toolStateToMarks({ [toolName]: { data: [d] } });
      if (!d.midcClass || rejected.length > 0) {
        // A mark without a class, or a click without a drag: it cannot be saved, so it goes.
        this.syncing = true;
        tools.removeToolState(element, toolName, d);
        this.syncing = false;
        core.updateImage(element);
        if (!d.midcClass) this.hooks.rejected?.(SHAPE_OF_TOOL[toolName]);
      } else if (d.midcId) this.hooks.selected?.(d.midcId);
      this.sync();
    });
    on(element, E.MEASUREMENT_MODIFIED as string, (e) => {
      const { toolName, measurementData: d } = detail(e);
      if (!isLesionTool(toolName)) return;
      this.dirty = true;
      if (d.midcId) this.hooks.selected?.(d.midcId);
    });
    on(element, E.MEASUREMENT_REMOVED as string, (e) => {
      if (isLesionTool(detail(e).toolName) && !this.syncing) this.sync();
    });
    // Handle drags end with a mouse-up anywhere: one change per drag, not per mouse move.
    on(window, 'mouseup', () => {
      if (this.dirty) setTimeout(() => this.sync(), 0);
    });
    on(element, 'wheel', (e) => {
      e.preventDefault();
      this.step((e as WheelEvent).deltaY > 0 ? 1 : -1);
    }, { passive: false });
    on(element, 'contextmenu', (e) => e.preventDefault());
    on(element, 'cornerstoneimagerendered', (e) => {
      // The image actually drawn (the stack index may already point at the next one, loading).
      const rendered = (e as CustomEvent<{ image?: { imageId?: string } }>).detail.image?.imageId ?? null;
      markRendered(rendered, rendered === null ? -1 : useViewerStore.getState().imageIds.indexOf(rendered));
      const v = (e as CustomEvent<{ viewport: { voi: { windowWidth: number; windowCenter: number }; scale: number; invert: boolean } }>).detail.viewport;
      const prev = useViewerStore.getState().viewport;
      const next = { windowWidth: Math.round(v.voi.windowWidth), windowCenter: Math.round(v.voi.windowCenter), scale: Math.round(v.scale * 100) / 100, invert: v.invert };
      if (!prev || prev.windowWidth !== next.windowWidth || prev.windowCenter !== next.windowCenter || prev.scale !== next.scale || prev.invert !== next.invert) {
        useViewerStore.setState({ viewport: next });
      }
    });
  }
}

export const viewerService = new ViewerService();
