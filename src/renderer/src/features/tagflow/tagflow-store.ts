import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FlowTag, TagFlowView, TagLink } from '../../../../shared/contract';
import { valueOrReport } from '../../core/result';
import { tagflowApi } from './api';

export const LIST_PAGE = 48;

/** The list of other images carrying one tag. */
export interface TagList {
  readonly tagId: string;
  readonly label: string;
  readonly value: string;
  readonly link: TagLink;
  readonly total: number;
  readonly offset: number;
  readonly imageIds: number[];
}

export interface TagFlowState {
  readonly imageId: number | null;
  /** Images visited before this one (re-targeting pushes, back pops). */
  readonly trail: number[];
  readonly flow: TagFlowView | null;
  readonly loading: boolean;
  readonly list: TagList | null;
  readonly listLoading: boolean;
  /** Shows an image's tags; `keepTrail` false starts a new trail (the host chose another image). */
  open(imageId: number, keepTrail?: boolean): Promise<void>;
  follow(tag: FlowTag): Promise<void>;
  page(offset: number): Promise<void>;
  closeList(): void;
  /** Re-targets the panel to an image of the list, remembering the current one. */
  retarget(imageId: number): Promise<void>;
  back(): Promise<void>;
}

export type TagFlowStore = StoreApi<TagFlowState>;

/**
 * One store per mounted panel (a panel may be embedded in several places at once): the image
 * shown, the trail of images visited, and the open tag list. Only serializable data; thumbnails
 * live in the panel's cache. Answers that arrive after the panel moved on are dropped.
 */
export function createTagFlowStore(api: typeof tagflowApi = tagflowApi): TagFlowStore {
  let flowSeq = 0;
  let listSeq = 0;
  return createStore<TagFlowState>()((set, get) => {
    const loadList = async (base: Omit<TagList, 'total' | 'imageIds' | 'offset'>, offset: number) => {
      const seq = ++listSeq;
      set({ listLoading: true });
      const page = valueOrReport(await api.images(base.link, offset, LIST_PAGE));
      if (seq !== listSeq) return;
      set({ listLoading: false, ...(page ? { list: { ...base, total: page.total, offset: page.offset, imageIds: page.imageIds } } : {}) });
    };
    return {
      imageId: null,
      trail: [],
      flow: null,
      loading: false,
      list: null,
      listLoading: false,
      async open(imageId, keepTrail = false) {
        const seq = ++flowSeq;
        listSeq++;
        set({ imageId, loading: true, list: null, listLoading: false, ...(keepTrail ? {} : { trail: [] }) });
        const flow = valueOrReport(await api.forImage(imageId));
        if (seq !== flowSeq) return;
        set({ flow: flow ?? null, loading: false });
      },
      async follow(tag) {
        if (!tag.link) return;
        await loadList({ tagId: tag.id, label: tag.label, value: tag.value, link: tag.link }, 0);
      },
      async page(offset) {
        const list = get().list;
        if (list) await loadList(list, Math.max(0, offset));
      },
      closeList() {
        listSeq++;
        set({ list: null, listLoading: false });
      },
      async retarget(imageId) {
        const current = get().imageId;
        if (current === imageId) return;
        if (current !== null) set({ trail: [...get().trail, current] });
        await get().open(imageId, true);
      },
      async back() {
        const trail = get().trail;
        const previous = trail[trail.length - 1];
        if (previous === undefined) return;
        set({ trail: trail.slice(0, -1) });
        await get().open(previous, true);
      },
    };
  });
}
