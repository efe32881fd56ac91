/**
 * Imports and one-time initialisation of the legacy Cornerstone stack. Loaded lazily by
 * viewer-service.ts (a chunk of its own), so screens without a viewer never load it.
 *
 * The libraries are webpack UMD bundles: default imports, no optimizeDeps (STACK-NOTES §3).
 * Their wrappers read `window` at import time, so this module cannot run in plain Node.
 */
import cornerstone from 'cornerstone-core';
import cornerstoneMath from 'cornerstone-math';
import cornerstoneTools from 'cornerstone-tools';
import cornerstoneWADOImageLoader from 'cornerstone-wado-image-loader';
import dicomParser from 'dicom-parser';
import Hammer from 'hammerjs';
import type { CornerstoneCore, CornerstoneTools, Libraries, WadoLoader } from './cornerstone-types';
import { IMAGE_ID_SCHEME } from './image-id';
import { createMidcImageLoader, pixelSpacingOf } from './image-loader';

const core = cornerstone as unknown as CornerstoneCore;
const tools = cornerstoneTools as CornerstoneTools;
const wado = cornerstoneWADOImageLoader as WadoLoader;

export const libraries: Libraries = { core, tools, wado };

// Order matters:
// 1. tools' externals before `init`, which wires its listeners to cornerstone's events;
// 2. `init` before any element is enabled (cornerstone-tools picks elements up on ELEMENT_ENABLED);
// 3. the wado loader's externals: setting `cornerstone` registers its loaders and metadata provider;
// 4. its worker manager: the decoder runs as a blob: worker (our CSP allows worker-src blob:;
//    without it the load promise never settles);
// 5. our `midc:` loader and our metadata provider, ahead of the wado provider.
tools.external.cornerstone = core;
tools.external.cornerstoneMath = cornerstoneMath;
tools.external.Hammer = Hammer;
tools.init({ mouseEnabled: true, touchEnabled: false, globalToolSyncEnabled: false, showSVGCursors: false });
tools.toolStyle.setToolWidth(2);
tools.toolColors.setToolColor('#ffd54a');
tools.toolColors.setActiveColor('#5ee37c');

wado.external.cornerstone = core;
wado.external.dicomParser = dicomParser;
wado.webWorkerManager.initialize({
  maxWebWorkers: Math.min(2, navigator.hardwareConcurrency || 1),
  // Started with the libraries (which load ahead of the first viewport, see preload()), so
  // the first image does not also wait for a worker to boot.
  startWebWorkersOnDemand: false,
  taskConfiguration: { decodeTask: { initializeCodecsOnStartup: false } },
});

core.registerImageLoader(IMAGE_ID_SCHEME, createMidcImageLoader(libraries) as never);

/**
 * Pixel spacing for measurement tools: the file's own value from the wado provider, else what
 * main read at import (PNG/JPEG have no tags). Higher priority than the wado provider.
 */
core.metaData.addProvider((type: string, imageId: string) => {
  if (type !== 'imagePlaneModule' || !imageId.startsWith(`${IMAGE_ID_SCHEME}:`)) return undefined;
  const fromFile = wado.wadouri.metaData.metaDataProvider(type, imageId);
  if (fromFile?.rowPixelSpacing) return fromFile;
  const spacing = pixelSpacingOf(imageId);
  if (!spacing) return fromFile;
  return { ...(fromFile ?? {}), rowPixelSpacing: spacing[0], columnPixelSpacing: spacing[1] };
}, 100);
