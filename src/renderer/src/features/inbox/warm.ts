import type { TicketDetail, TicketView } from '../../../../shared/contract';

/** How many tickets at the top of the inbox get their first image loaded ahead of a click. */
export const WARM_TICKETS = 3;

/** The image the workspace shows first when a ticket opens (its lowest position), if viewable. */
export function firstImageOf(detail: TicketDetail): number | null {
  let first: TicketDetail['images'][number] | null = null;
  for (const i of detail.images) if (first === null || i.position < first.position) first = i;
  return first && first.image.viewable ? first.image.id : null;
}

/**
 * Loads the first image of the tickets at the top of the inbox (the next ones to be opened)
 * into the viewer's cache while the person reads the inbox, so opening one draws a cached
 * image. Each ticket is looked at once per page (the inbox polls; a ticket's first image does
 * not change while it is open work), at most `limit` tickets per call.
 */
export class InboxWarmer {
  private readonly seen = new Set<number>();

  constructor(
    private readonly detail: (ticketId: number) => Promise<TicketDetail | null>,
    private readonly warm: (imageIds: readonly number[]) => void,
    private readonly limit = WARM_TICKETS,
  ) {}

  async warmTop(tickets: readonly TicketView[]): Promise<void> {
    const fresh = tickets.slice(0, this.limit).filter((t) => !this.seen.has(t.id));
    if (fresh.length === 0) return;
    for (const t of fresh) this.seen.add(t.id);
    const details = await Promise.all(fresh.map((t) => this.detail(t.id)));
    const ids = details.flatMap((d) => {
      const id = d ? firstImageOf(d) : null;
      return id === null ? [] : [id];
    });
    this.warm(ids);
  }
}
