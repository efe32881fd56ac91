import { create } from 'zustand';
import type { TicketView } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';
import { valueOrReport } from '../../core/result';
import { inboxApi } from './api';
import { sortInbox } from './sort';

export type Outcome = { readonly ok: boolean; readonly error: ErrorData | null };

interface InboxState {
  readonly tickets: readonly TicketView[] | null;
  load(): Promise<void>;
  complete(id: number): Promise<Outcome>;
  returnTicket(id: number, reason: string): Promise<Outcome>;
}

/** The annotator's open work (tickets:inbox), sorted by priority and due date. */
export const useInboxStore = create<InboxState>()((set, get) => ({
  tickets: null,

  async load() {
    const tickets = valueOrReport(await inboxApi.inbox());
    if (tickets) set({ tickets: sortInbox(tickets) });
  },

  async complete(id) {
    const result = await inboxApi.submit(id);
    if (result.ok) await get().load();
    return { ok: result.ok, error: inlineError(result) };
  },

  async returnTicket(id, reason) {
    const result = await inboxApi.returnTicket(id, reason);
    if (result.ok) await get().load();
    return { ok: result.ok, error: inlineError(result) };
  },
}));
