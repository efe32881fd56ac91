import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketView } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { DataGrid } from '../../ui/DataGrid';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { formatDateTime } from '../../ui/format';
import { useLabelingAdminStore } from './admin-store';

const MOVABLE = ['assigned', 'in_progress', 'returned'];

/** Assign an open ticket, or move an assigned / in-progress / returned one to someone else (reason required). */
function AssignPanel({ ticket }: { ticket: TicketView }) {
  const { t } = useTranslation();
  const annotators = useLabelingAdminStore((s) => s.annotators);
  const reassign = useLabelingAdminStore((s) => s.reassign);
  const assign = useLabelingAdminStore((s) => s.assign);
  const [target, setTarget] = useState<number | ''>('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ErrorData | null>(null);
  const open = ticket.state === 'open';
  if (!open && !MOVABLE.includes(ticket.state)) return <p className="muted">{t('labelingAdmin.notMovable', { state: t(`inbox.states.${ticket.state}`) })}</p>;
  const run = async () => {
    if (target === '') return;
    const outcome = open ? await assign(ticket.id, target) : await reassign(ticket.id, target, reason.trim());
    setError(outcome.error);
    if (outcome.ok) {
      setTarget('');
      setReason('');
    }
  };
  return (
    <div className="form-row" data-testid={`labeling-assign-panel-${ticket.id}`}>
      <strong>{ticket.name}</strong>
      <select aria-label={t('labelingAdmin.assignTo')} data-testid={`labeling-reassign-to-${ticket.id}`} value={target} onChange={(e) => setTarget(e.target.value ? Number(e.target.value) : '')}>
        <option value="">—</option>
        {annotators
          .filter((a) => a.id !== ticket.assigneeId)
          .map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName}
            </option>
          ))}
      </select>
      {!open && (
        <input
          aria-label={t('workspace.reason.placeholder')}
          data-testid={`labeling-reassign-reason-${ticket.id}`}
          placeholder={t('workspace.reason.placeholder')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      )}
      <button type="button" className="btn" data-testid={`labeling-reassign-${ticket.id}`} disabled={target === '' || (!open && reason.trim().length < 3)} onClick={() => void run()}>
        {open ? t('labelingAdmin.assign') : t('labelingAdmin.reassign')}
      </button>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
    </div>
  );
}

/** The dataset's tickets (state, assignee, progress, priority, due date); a clicked row can be (re)assigned. */
export function TicketsGrid({ tickets }: { tickets: readonly TicketView[] }) {
  const { t, i18n } = useTranslation();
  const [selected, setSelected] = useState<number | null>(null);
  const columns = useMemo<ColDef<TicketView>[]>(
    () => [
      { colId: 'name', headerName: t('labelingAdmin.col.ticket'), field: 'name', flex: 1, minWidth: 140 },
      {
        colId: 'state',
        headerName: t('labelingAdmin.col.state'),
        valueGetter: (p) => (p.data ? t(`inbox.states.${p.data.state}`) : ''),
        cellRenderer: (p: { data?: TicketView; value: string }) => <span data-testid={p.data ? `labeling-ticket-state-${p.data.id}` : undefined}>{p.value}</span>,
        width: 130,
      },
      { colId: 'assignee', headerName: t('labelingAdmin.col.assignee'), valueGetter: (p) => p.data?.assigneeName ?? '—', width: 140 },
      {
        colId: 'progress',
        headerName: t('labelingAdmin.col.progress'),
        valueGetter: (p) => (p.data ? t('inbox.progress', { annotated: p.data.annotated, images: p.data.images }) : ''),
        width: 150,
      },
      { colId: 'priority', headerName: t('labelingAdmin.priority'), valueGetter: (p) => (p.data ? t(`inbox.priorities.${p.data.priority}`) : ''), width: 110 },
      { colId: 'due', headerName: t('labelingAdmin.due'), valueGetter: (p) => (p.data?.dueDate ? formatDateTime(p.data.dueDate, i18n.language) : '—'), width: 150 },
      { colId: 'reason', headerName: t('labelingAdmin.col.lastReason'), valueGetter: (p) => p.data?.lastEvent?.reason ?? '', flex: 1, minWidth: 140 },
    ],
    [t, i18n.language],
  );
  const ticket = tickets.find((tk) => tk.id === selected) ?? null;
  return (
    <section className="card" data-testid="labeling-tickets">
      <h3>{t('labelingAdmin.tickets')}</h3>
      <DataGrid<TicketView>
        rows={tickets}
        columns={columns}
        rowId={(r) => String(r.id)}
        testId="labeling-tickets-grid"
        selectedId={selected === null ? null : String(selected)}
        onRowClicked={(r) => setSelected(r.id)}
      />
      {ticket ? <AssignPanel key={ticket.id} ticket={ticket} /> : <p className="muted">{t('labelingAdmin.pickTicket')}</p>}
    </section>
  );
}
