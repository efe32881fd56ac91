import type { DropFolderEvent, RequestOf } from '../../../../../shared/contract';
import { settle } from '../../../core/result';

/** The drop-folder part of the results feature: the only module of this folder that touches window.api. */
export const dropFolderApi = {
  list: () => settle(() => window.api.dropFolders.list({})),
  create: (req: RequestOf<'dropFolders:create'>) => settle(() => window.api.dropFolders.create(req)),
  disable: (id: number) => settle(() => window.api.dropFolders.disable({ id })),
  listRuns: () => settle(() => window.api.runs.list({})),
  onFile: (listener: (e: DropFolderEvent) => void) => window.api.events.onDropFolderFile(listener),
};
