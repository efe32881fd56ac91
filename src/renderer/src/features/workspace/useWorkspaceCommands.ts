import { useEffect, useMemo } from 'react';
import { viewerService } from '../viewer/viewer-service';
import { useViewerStore } from '../viewer/viewer-store';
import { buildCommands, commandForKey, type WsActions, type WsCommand, type WsContext } from './commands';
import { classesOf, isEditable, useWorkspaceStore } from './workspace-store';

/** The effects of the workspace commands: the viewer service and the workspace store. */
const actions: WsActions = {
  setTool: (tool) => viewerService.setPrimaryTool(tool),
  preset: (id) => viewerService.applyPreset(id),
  invert: () => viewerService.toggleInvert(),
  reset: () => viewerService.reset(),
  zoom: (factor) => viewerService.zoom(factor),
  step: (delta) => viewerService.step(delta),
  undo: () => useWorkspaceStore.getState().undo(),
  redo: () => useWorkspaceStore.getState().redo(),
  deleteSelected: () => useWorkspaceStore.getState().deleteSelected(),
  chooseClass: (name) => useWorkspaceStore.getState().chooseClass(name),
  toggleHelp: () => useWorkspaceStore.getState().setHelp(!useWorkspaceStore.getState().helpOpen),
  escape: () => {
    const ws = useWorkspaceStore.getState();
    if (ws.helpOpen) ws.setHelp(false);
    else ws.select(null);
  },
  saveNow: () => useWorkspaceStore.getState().saveNow(),
  nextTicket: () => void useWorkspaceStore.getState().nextTicket(),
};

/** The context now, read from the stores at the moment of use. */
export function workspaceContext(): WsContext {
  const ws = useWorkspaceStore.getState();
  const viewer = useViewerStore.getState();
  return {
    open: ws.session !== null,
    editable: isEditable(ws.session),
    imageShown: viewer.status.state === 'shown',
    hasSelection: ws.selectedMarkId !== null,
    canUndo: ws.history.past.length > 0,
    canRedo: ws.history.future.length > 0,
    helpOpen: ws.helpOpen,
    hasNextTicket: ws.session?.ticket != null && ws.queue.some((t) => t.id !== ws.session?.ticket?.id),
  };
}

/** The command table for the open schema, re-subscribing components when it changes. */
export function useWorkspaceCommands(): readonly WsCommand[] {
  const session = useWorkspaceStore((s) => s.session);
  const classes = classesOf(session);
  return useMemo(() => buildCommands(actions, classes), [classes]);
}

/** One keydown listener for the workspace's shortcuts while it is shown. */
export function useWorkspaceShortcuts(commands: readonly WsCommand[]): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      // Typing a reason or an id is not a shortcut.
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      const command = commandForKey(commands, e, workspaceContext());
      if (!command) return;
      e.preventDefault();
      command.perform(workspaceContext());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [commands]);
}
