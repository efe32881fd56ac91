import { describe, expect, it } from 'vitest';
import type { TagFlowView, TaggedImagesView, TagLink } from '../../../../shared/contract';
import type { Result } from '../../../../shared/errors';
import type { tagflowApi } from './api';
import { createTagFlowStore } from './tagflow-store';

const flowOf = (imageId: number): TagFlowView => ({
  imageId,
  originalName: `img-${imageId}.png`,
  source: [],
  labeling: [],
  dataset: [{ id: 'dataset:1:v1', label: 'Set', value: 'v1', link: { kind: 'dataset', datasetId: 1, version: 1 }, at: null, by: null, facts: [] }],
  test: null,
});

/** A fake api whose answers arrive when the test releases them, to exercise late answers. */
function fakeApi() {
  const pending: (() => void)[] = [];
  const later = <T>(value: T): Promise<Result<T>> => new Promise((resolve) => pending.push(() => resolve({ ok: true, value })));
  const api = {
    forImage: (imageId: number) => later(flowOf(imageId)),
    images: (link: TagLink, offset: number, limit: number) => later<TaggedImagesView>({ link, title: 't', total: 3, imageIds: [1, 2, 3].slice(offset, offset + limit), offset }),
  } as unknown as typeof tagflowApi;
  const flush = async () => {
    while (pending.length) {
      (pending.shift() as () => void)();
      await Promise.resolve();
      await Promise.resolve();
    }
  };
  return { api, flush };
}

describe('tag flow store', () => {
  it('follows a tag, re-targets to an image of its list and goes back', async () => {
    const { api, flush } = fakeApi();
    const store = createTagFlowStore(api);
    const opening = store.getState().open(1);
    await flush();
    await opening;
    const tag = store.getState().flow?.dataset[0];
    if (!tag) throw new Error('no tag');
    const following = store.getState().follow(tag);
    await flush();
    await following;
    expect(store.getState().list).toMatchObject({ tagId: 'dataset:1:v1', total: 3, imageIds: [1, 2, 3] });
    const moving = store.getState().retarget(2);
    await flush();
    await moving;
    expect(store.getState()).toMatchObject({ imageId: 2, trail: [1], list: null, flow: { imageId: 2 } });
    const back = store.getState().back();
    await flush();
    await back;
    expect(store.getState()).toMatchObject({ imageId: 1, trail: [], flow: { imageId: 1 } });
  });

  it('drops an answer for an image the panel has already left', async () => {
    const { api, flush } = fakeApi();
    const store = createTagFlowStore(api);
    void store.getState().open(1);
    void store.getState().open(7);
    await flush();
    expect(store.getState()).toMatchObject({ imageId: 7, flow: { imageId: 7 }, loading: false });
  });
});
