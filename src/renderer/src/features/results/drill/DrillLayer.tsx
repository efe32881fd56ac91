import { useDrillStore } from '../drill-store';
import { DrillDialog } from './DrillDialog';
import { ImageDialog } from './ImageDialog';

/** The drill-down and the image over it, wherever in the module they were opened from. */
export function DrillLayer() {
  const set = useDrillStore((s) => s.set);
  const imageId = useDrillStore((s) => s.imageId);
  return (
    <>
      {set && <DrillDialog set={set} />}
      {imageId !== null && <ImageDialog key={imageId} imageId={imageId} />}
    </>
  );
}
