import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketView } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { formatDateTime } from '../../ui/format';
import { useShellStore } from '../shell/shell-store';
import { toImageId } from '../viewer/image-id';
import { viewerService } from '../viewer/viewer-service';
import { ReasonForm } from '../workspace/ReasonForm';
import { useWorkspaceStore } from '../workspace/workspace-store';
import { inboxApi } from './api';
import { useInboxStore } from './inbox-store';
import { InboxWarmer } from './warm';
import './inbox.css';

/** First images of the top tickets, loaded into the viewer's cache while the inbox is read. */
const warmer = new InboxWarmer(
  async (id) => {
    const result = await inboxApi.ticket(id);
    // A warm-up only: a ticket that cannot be read now reports its error when it is opened.
    return result.ok ? result.value : null;
  },
  (ids) => viewerService.warm(ids.map((id) => toImageId(id))),
);

/** The inbox polls (main pushes ticket events to the assigning admin's window only). */
const POLL_MS = 60_000;

function openInWorkspace(ticket: TicketView) {
  useShellStore.getState().navigate('workspace');
  void useWorkspaceStore.getState().openTicket(ticket.id, 'annotate');
}

function TicketRow({ ticket, onReturn }: { ticket: TicketView; onReturn(): void }) {
  const { t, i18n } = useTranslation();
  const complete = useInboxStore((s) => s.complete);
  const [error, setError] = useState<ErrorData | null>(null);
  const note = ticket.lastEvent?.reason;
  const due = ticket.dueDate ? formatDateTime(ticket.dueDate, i18n.language) : t('inbox.noDue');
  return (
    <>
      <tr data-testid={`inbox-ticket-${ticket.id}`} data-priority={ticket.priority} className={`inbox-row inbox-${ticket.priority}`}>
        <td>{ticket.name}</td>
        <td>{ticket.datasetName}</td>
        <td data-testid="inbox-state">{t(`inbox.states.${ticket.state}`)}</td>
        <td>
          <span className={`inbox-priority inbox-priority-${ticket.priority}`}>{t(`inbox.priorities.${ticket.priority}`)}</span>
        </td>
        <td>{due}</td>
        <td>{t('inbox.progress', { annotated: ticket.annotated, images: ticket.images })}</td>
        <td className="muted">{note ?? ''}</td>
        <td className="button-row">
          <button type="button" className="btn btn-primary" data-testid={`inbox-open-${ticket.id}`} onClick={() => openInWorkspace(ticket)}>
            {ticket.state === 'in_progress' ? t('inbox.continue') : t('inbox.open')}
          </button>
          <button
            type="button"
            className="btn"
            data-testid={`inbox-complete-${ticket.id}`}
            disabled={ticket.state !== 'in_progress' || ticket.annotated < ticket.images}
            onClick={() => void complete(ticket.id).then((o) => setError(o.error))}
          >
            {t('inbox.complete')}
          </button>
          <button type="button" className="btn" data-testid={`inbox-return-${ticket.id}`} onClick={onReturn}>
            {t('inbox.return')}
          </button>
        </td>
      </tr>
      {error && (
        <tr>
          <td colSpan={8}>
            <ErrorBanner error={error} onDismiss={() => setError(null)} />
          </td>
        </tr>
      )}
    </>
  );
}

/** The annotator's tickets (issue 4 item 3): open or continue, complete, return with a reason. */
export function InboxModule() {
  const { t } = useTranslation();
  const tickets = useInboxStore((s) => s.tickets);
  const returnTicket = useInboxStore((s) => s.returnTicket);
  const [returning, setReturning] = useState<TicketView | null>(null);

  // Tickets open in the viewer: load its libraries while the person reads the inbox.
  useEffect(() => viewerService.preload(), []);
  // And the first image of the tickets most likely to be opened next.
  useEffect(() => {
    if (tickets && tickets.length > 0) void warmer.warmTop(tickets);
  }, [tickets]);

  useEffect(() => {
    const load = () => void useInboxStore.getState().load();
    load();
    const timer = setInterval(load, POLL_MS);
    window.addEventListener('focus', load);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', load);
    };
  }, []);

  return (
    <section className="module" data-testid="module-inbox">
      <div className="inbox-head">
        <h2>{t('inbox.title')}</h2>
        <button type="button" className="btn btn-ghost" data-testid="inbox-refresh" onClick={() => void useInboxStore.getState().load()}>
          {t('inbox.refresh')}
        </button>
      </div>
      {returning && (
        <ReasonForm
          title={t('inbox.returnTitle', { name: returning.name })}
          testId="return-form"
          onCancel={() => setReturning(null)}
          onConfirm={async (reason) => {
            const outcome = await returnTicket(returning.id, reason);
            if (outcome.ok) setReturning(null);
            return outcome;
          }}
        />
      )}
      {tickets?.length === 0 && <p className="muted card">{t('inbox.empty')}</p>}
      {tickets && tickets.length > 0 && (
        <table className="inbox-table card" data-testid="inbox-table">
          <thead>
            <tr>
              <th>{t('inbox.columns.name')}</th>
              <th>{t('inbox.columns.dataset')}</th>
              <th>{t('inbox.columns.state')}</th>
              <th>{t('inbox.columns.priority')}</th>
              <th>{t('inbox.columns.due')}</th>
              <th>{t('inbox.columns.progress')}</th>
              <th>{t('inbox.columns.note')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tickets.map((ticket) => (
              <TicketRow key={ticket.id} ticket={ticket} onReturn={() => setReturning(ticket)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
