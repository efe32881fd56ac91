import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../shared/roles';
import { formatDateTime } from '../../ui/format';
import { LabelingAdmin } from './LabelingAdmin';
import { useWorkspaceStore, type Notice } from './workspace-store';

export function NoticeBar() {
  const { t } = useTranslation();
  const notice = useWorkspaceStore((s) => s.notice);
  const dismiss = useWorkspaceStore((s) => s.dismissNotice);
  if (!notice) return null;
  const values: Record<string, string | number> = {};
  if ('shape' in notice) values.shape = t(`workspace.shapes.${notice.shape}`);
  if ('cls' in notice) values.cls = notice.cls;
  if ('ticket' in notice) values.ticket = notice.ticket;
  if ('count' in notice) values.count = notice.count;
  const ok: Notice['kind'][] = ['submitted', 'returned', 'accepted', 'rejected'];
  return (
    <div className={`notice ${ok.includes(notice.kind) ? 'notice-ok' : 'notice-warn'} ws-notice`} data-testid="ws-notice" data-kind={notice.kind} role="status">
      <span>{t(`workspace.notices.${notice.kind}`, values)}</span>
      <button type="button" className="btn-icon" aria-label={t('errors.dismiss')} onClick={dismiss}>
        ×
      </button>
    </div>
  );
}

/** Submitted tickets waiting for the expert. */
function ReviewQueue() {
  const { t, i18n } = useTranslation();
  const tickets = useWorkspaceStore((s) => s.submittedTickets);
  const open = useWorkspaceStore((s) => s.openTicket);
  useEffect(() => {
    void useWorkspaceStore.getState().loadSubmitted();
  }, []);
  return (
    <section className="card" data-testid="review-queue">
      <h3>{t('workspace.review.title')}</h3>
      {tickets?.length === 0 && <p className="muted">{t('workspace.review.none')}</p>}
      <table className="ws-table">
        <tbody>
          {(tickets ?? []).map((tk) => (
            <tr key={tk.id} data-testid={`review-ticket-${tk.id}`}>
              <td>{tk.name}</td>
              <td>{tk.datasetName}</td>
              <td>
                {t('workspace.review.annotator')}: {tk.assigneeName ?? '—'}
              </td>
              <td>{formatDateTime(tk.updatedAt, i18n.language)}</td>
              <td>
                <button type="button" className="btn btn-primary" data-testid={`review-open-${tk.id}`} onClick={() => void open(tk.id, 'review')}>
                  {t('workspace.review.open')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** An expert opens any images by id (DESIGN §2.2: "opens submitted tickets or any image"). */
function OpenImagesForm() {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const ids = value
    .split(/[\s,;]+/)
    .map((s) => Number(s))
    .filter((n) => Number.isInteger(n) && n > 0);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ids.length > 0) void useWorkspaceStore.getState().openImages(ids);
  };
  return (
    <form className="form card form-inline" onSubmit={submit} data-testid="open-images-form">
      <h3>{t('workspace.review.openImages')}</h3>
      <label className="field">
        <span>{t('workspace.review.imageIds')}</span>
        <input data-testid="open-images-ids" value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <button type="submit" className="btn" disabled={ids.length === 0} data-testid="open-images-submit">
        {t('workspace.review.openImagesSubmit')}
      </button>
    </form>
  );
}

/** The workspace with nothing open: the expert's queue, or a pointer to the inbox. */
export function WorkspaceHome({ roles, onGoToInbox }: { roles: readonly Role[]; onGoToInbox(): void }) {
  const { t } = useTranslation();
  const opening = useWorkspaceStore((s) => s.opening);
  return (
    <div className="ws-home" data-testid="workspace-home">
      {opening && <p className="muted">{t('workspace.opening')}</p>}
      {roles.includes('expert') && (
        <>
          <ReviewQueue />
          <OpenImagesForm />
        </>
      )}
      {roles.includes('labeling_admin') && <LabelingAdmin />}
      {roles.includes('expert') && !roles.includes('labeling_admin') && <LabelingAdmin mode="expert" />}
      {roles.includes('annotator') && (
        <div className="card">
          <p className="muted">{t('workspace.noSession')}</p>
          <button type="button" className="btn" data-testid="ws-go-inbox" onClick={onGoToInbox}>
            {t('workspace.goToInbox')}
          </button>
        </div>
      )}
    </div>
  );
}
