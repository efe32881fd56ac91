import { describe, expect, it } from 'vitest';
import type { TicketDetail, TicketView } from '../../../../shared/contract';
import { firstImageOf, InboxWarmer } from './warm';

const view = (id: number): TicketView => ({
  id,
  datasetId: 1,
  datasetName: 'd',
  name: `T${id}`,
  state: 'assigned',
  assigneeId: 1,
  assigneeName: 'a',
  priority: 'normal',
  dueDate: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  images: 2,
  annotated: 0,
  lastEvent: null,
});

/** A ticket whose images are given as [image id, position, viewable], in any order. */
const detail = (id: number, images: [number, number, boolean][]): TicketDetail =>
  ({
    ticket: view(id),
    images: images.map(([imageId, position, viewable]) => ({ image: { id: imageId, viewable }, position, slot: 0, saved: false, latestAnnotationId: null })),
    events: [],
  }) as unknown as TicketDetail;

describe('inbox warm-up', () => {
  it('picks the image the workspace shows first: the lowest position, when it is viewable', () => {
    expect(
      firstImageOf(
        detail(1, [
          [30, 2, true],
          [10, 0, true],
          [20, 1, true],
        ]),
      ),
    ).toBe(10);
    expect(
      firstImageOf(
        detail(1, [
          [30, 1, true],
          [10, 0, false],
        ]),
      ),
    ).toBeNull();
    expect(firstImageOf(detail(1, []))).toBeNull();
  });

  it('warms the first image of the top three tickets only, and each ticket once per page', async () => {
    const asked: number[] = [];
    const warmed: (readonly number[])[] = [];
    const details: Record<number, TicketDetail | null> = {
      1: detail(1, [[11, 0, true]]),
      2: null, // could not be read: skipped
      3: detail(3, [[31, 0, true]]),
      4: detail(4, [[41, 0, true]]),
    };
    const warmer = new InboxWarmer(
      async (id) => {
        asked.push(id);
        return details[id] ?? null;
      },
      (ids) => warmed.push(ids),
    );
    await warmer.warmTop([view(1), view(2), view(3), view(4)]);
    expect(asked).toEqual([1, 2, 3]);
    expect(warmed).toEqual([[11, 31]]);
    // The next poll: the same top tickets are not asked again; a new one at the top is.
    await warmer.warmTop([view(1), view(2), view(3), view(4)]);
    await warmer.warmTop([view(4), view(1), view(2)]);
    expect(asked).toEqual([1, 2, 3, 4]);
    expect(warmed).toEqual([[11, 31], [41]]);
  });
});
