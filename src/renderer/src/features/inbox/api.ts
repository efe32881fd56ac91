import { settle } from '../../core/result';

/** The only module of the inbox feature that touches window.api (HOUSE-STYLE 15). */
export const inboxApi = {
  inbox: () => settle(() => window.api.tickets.inbox({})),
  ticket: (id: number) => settle(() => window.api.tickets.get({ id })),
  submit: (id: number) => settle(() => window.api.tickets.submit({ id })),
  returnTicket: (id: number, reason: string) => settle(() => window.api.tickets.return({ id, reason })),
};
