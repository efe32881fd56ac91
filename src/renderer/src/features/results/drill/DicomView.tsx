import { useEffect } from 'react';
import { toImageId } from '../../viewer/image-id';
import { Viewport } from '../../viewer/Viewport';
import { viewerService } from '../../viewer/viewer-service';

/**
 * A DICOM image in the shared Cornerstone viewer (features/viewer), read-only ('view' workflow:
 * no lesion tools). The service outlives this host: the stack is set before the viewport
 * attaches (attach shows it) and emptied after it detaches, so no other screen inherits it.
 */
export function DicomView({ imageId }: { imageId: number }) {
  useEffect(() => {
    void viewerService.open([toImageId(imageId)], 0, 'view');
    return () => void viewerService.open([]);
  }, [imageId]);
  return (
    <div className="dicom-view" data-testid="image-dicom">
      <Viewport />
    </div>
  );
}
