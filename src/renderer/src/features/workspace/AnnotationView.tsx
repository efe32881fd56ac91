import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Viewport } from '../viewer/Viewport';
import { useViewerStore } from '../viewer/viewer-store';
import { HelpOverlay } from './HelpOverlay';
import { ReasonForm } from './ReasonForm';
import { ClassList, ImageList, MarkList } from './SidePanel';
import { Toolbar } from './Toolbar';
import { useWorkspaceCommands, useWorkspaceShortcuts } from './useWorkspaceCommands';
import { flushOnHide, isEditable, useWorkspaceStore } from './workspace-store';

function SaveIndicator() {
  const { t } = useTranslation();
  const state = useWorkspaceStore((s) => s.saveState);
  const error = useWorkspaceStore((s) => s.saveError);
  return (
    <span className={`ws-save ws-save-${state}`} data-testid="save-state" data-state={state} role="status" aria-live="polite">
      {state === 'error' ? t('workspace.save.error', { message: error?.message ?? '' }) : t(`workspace.save.${state}`)}
    </span>
  );
}

function ViewerStatus() {
  const { t } = useTranslation();
  const viewport = useViewerStore((s) => s.viewport);
  const spacing = useViewerStore((s) => s.pixelSpacing);
  const shown = useViewerStore((s) => s.status.state === 'shown');
  if (!shown || !viewport) return <div className="viewer-status" />;
  return (
    <div className="viewer-status" data-testid="viewer-status">
      <span data-testid="viewer-window">{t('viewer.status.window', { width: viewport.windowWidth, center: viewport.windowCenter })}</span>
      <span>{t('viewer.status.zoom', { scale: viewport.scale })}</span>
      <span>{spacing ? t('viewer.status.spacing', { row: spacing[0], column: spacing[1] }) : t('viewer.status.noSpacing')}</span>
    </div>
  );
}

type Dialog = 'return' | 'reject' | null;

/** An open ticket (or image set): toolbar, viewport, classes, marks, images, ticket actions. */
export function AnnotationView() {
  const { t } = useTranslation();
  const session = useWorkspaceStore((s) => s.session);
  const helpOpen = useWorkspaceStore((s) => s.helpOpen);
  const store = useWorkspaceStore.getState();
  const commands = useWorkspaceCommands();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  useWorkspaceShortcuts(commands);
  useEffect(() => flushOnHide(), []);
  // Leaving the module saves what is pending (the viewport disables itself on unmount).
  useEffect(() => () => void useWorkspaceStore.getState().flush(), []);

  if (!session) return null;
  const ticket = session.ticket;
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    await action();
    setBusy(false);
  };

  return (
    <div className="ws" data-testid="annotation-view" data-mode={session.mode}>
      <div className="ws-head">
        <div className="ws-title">
          <strong data-testid="ws-ticket">{ticket ? t('workspace.ticket', { name: ticket.name, dataset: ticket.datasetName }) : t('workspace.modes.images')}</strong>
          <span className="muted">{t(`workspace.modes.${session.mode}`)}</span>
          {ticket && !isEditable(session) && session.mode === 'annotate' && (
            <span className="muted">{t('workspace.readOnly', { state: t(`inbox.states.${ticket.state}`) })}</span>
          )}
          {session.mode === 'review' && session.correcting && <span className="notice notice-warn">{t('workspace.review.correcting')}</span>}
        </div>
        <div className="button-row">
          {session.mode !== 'images' && <SaveIndicator />}
          {session.mode === 'annotate' && ticket && isEditable(session) && (
            <>
              <button type="button" className="btn btn-primary" data-testid="ws-complete" disabled={busy} onClick={() => void run(() => store.complete())}>
                {t('workspace.actions.complete')}
              </button>
              <button type="button" className="btn" data-testid="ws-return" disabled={busy} onClick={() => setDialog('return')}>
                {t('workspace.actions.return')}
              </button>
            </>
          )}
          {session.mode === 'review' && ticket?.state === 'submitted' && (
            <>
              <button type="button" className="btn btn-primary" data-testid="ws-accept" disabled={busy} onClick={() => void run(() => store.accept())}>
                {t('workspace.actions.accept')}
              </button>
              {!session.correcting && (
                <button type="button" className="btn" data-testid="ws-correct" onClick={() => store.startCorrecting()}>
                  {t('workspace.actions.correct')}
                </button>
              )}
              <button type="button" className="btn" data-testid="ws-reject" disabled={busy} onClick={() => setDialog('reject')}>
                {t('workspace.actions.reject')}
              </button>
            </>
          )}
          {ticket && (
            <button type="button" className="btn" data-testid="ws-next-ticket" onClick={() => void store.nextTicket()}>
              {t('workspace.actions.nextTicket')}
            </button>
          )}
          <button type="button" className="btn" data-testid="ws-help" onClick={() => store.setHelp(true)}>
            {t('workspace.actions.help')} (?)
          </button>
          <button type="button" className="btn" data-testid="ws-close" onClick={() => void store.close()}>
            {t('workspace.close')}
          </button>
        </div>
      </div>
      {dialog === 'return' && ticket && (
        <ReasonForm
          title={t('inbox.returnTitle', { name: ticket.name })}
          testId="return-form"
          onCancel={() => setDialog(null)}
          onConfirm={(reason) => store.returnTicket(reason)}
        />
      )}
      {dialog === 'reject' && ticket && (
        <ReasonForm title={t('workspace.actions.reject')} testId="reject-form" onCancel={() => setDialog(null)} onConfirm={(reason) => store.reject(reason)} />
      )}
      <div className="ws-body">
        <div className="ws-main">
          <Toolbar commands={commands} />
          <Viewport />
          <ViewerStatus />
        </div>
        <aside className="ws-side">
          <ClassList />
          <MarkList />
          <ImageList />
        </aside>
      </div>
      {helpOpen && <HelpOverlay commands={commands} onClose={() => store.setHelp(false)} />}
    </div>
  );
}
