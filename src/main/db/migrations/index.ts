import type { Migration } from '../types';
import { migration0001Core } from './0001-core';
import { migration0002Ingest } from './0002-ingest';
import { migration0003Datasets } from './0003-datasets';
import { migration0004Registries } from './0004-registries';
import { migration0005Labeling } from './0005-labeling';
import { migration0006Evaluation } from './0006-evaluation';
import { migration0007Quant } from './0007-quant';
import { migration0008PixelQueue } from './0008-pixel-queue';
import { migration0009DropFolders } from './0009-drop-folders';

/** Every migration, in order, numbered 1..n without gaps; a released migration is never edited or renumbered. */
export const migrations: readonly Migration[] = [
  migration0001Core,
  migration0002Ingest,
  migration0003Datasets,
  migration0004Registries,
  migration0005Labeling,
  migration0006Evaluation,
  migration0007Quant,
  migration0008PixelQueue,
  migration0009DropFolders,
];
