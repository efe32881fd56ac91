import type { PixelCoordinate } from 'cornerstone-core';
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { OverlayBox } from '../../../../../shared/contract';
import { toImageId } from '../../viewer/image-id';
import { Viewport } from '../../viewer/Viewport';
import { viewerService } from '../../viewer/viewer-service';
import { BoxLayer, type Project } from './BoxOverlay';

interface Canvas {
  readonly width: number;
  readonly height: number;
  /** Image pixel → canvas pixel with the viewport's current zoom, pan, rotation and flips. */
  readonly project: Project;
  /** Bumped on every render of the image, so the boxes are projected again. */
  readonly frame: number;
}

/**
 * The projection of the shown image onto the viewport canvas, refreshed on every Cornerstone
 * IMAGE_RENDERED (zoom, pan, window, resize), through the viewer's public `load()` and the
 * element <Viewport> renders; the viewer module itself is not touched.
 */
function useCanvasProjection(host: RefObject<HTMLDivElement | null>): Canvas | null {
  const [canvas, setCanvas] = useState<Canvas | null>(null);
  useEffect(() => {
    let live = true;
    let off: () => void = () => undefined;
    void viewerService.load().then(({ core }) => {
      const element = host.current?.querySelector<HTMLElement>('[data-testid="viewport-element"]');
      if (!live || !element) return;
      let frame = 0;
      const rendered = () => {
        const c = element.querySelector('canvas');
        if (!c) return;
        frame += 1;
        setCanvas({
          width: c.width,
          height: c.height,
          project: (x, y) => {
            const p = core.pixelToCanvas(element, { x, y } as PixelCoordinate);
            return [p.x, p.y];
          },
          frame,
        });
      };
      element.addEventListener(core.EVENTS.IMAGE_RENDERED, rendered);
      off = () => element.removeEventListener(core.EVENTS.IMAGE_RENDERED, rendered);
    });
    return () => {
      live = false;
      off();
    };
  }, [host]);
  return canvas;
}

/**
 * A DICOM image in the shared Cornerstone viewer (features/viewer), read-only ('view' workflow:
 * no lesion tools), with detection boxes drawn over it in image pixel coordinates that follow
 * zoom and pan. The service outlives this host: the stack is set before the viewport attaches
 * (attach shows it) and emptied after it detaches, so no other screen inherits it.
 */
export function DicomView({ imageId, boxes = [] }: { imageId: number; boxes?: readonly OverlayBox[] }) {
  const host = useRef<HTMLDivElement>(null);
  const canvas = useCanvasProjection(host);
  useEffect(() => {
    void viewerService.open([toImageId(imageId)], 0, 'view');
    return () => void viewerService.open([]);
  }, [imageId]);
  return (
    <div className="dicom-view" data-testid="image-dicom" ref={host}>
      <Viewport />
      {canvas && boxes.length > 0 && (
        <BoxLayer boxes={boxes} viewBox={canvas} project={canvas.project} fit="none" labelSize={12} testId="dicom-boxes" />
      )}
    </div>
  );
}
