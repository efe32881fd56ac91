/**
 * The only module that touches `ipcMain` (ESLint enforces it; HOUSE-STYLE 6, RELIABILITY
 * target 12). It registers one `handle` per contract channel and passes every call, with
 * the sender Electron reports, to the registry's `dispatch`, which checks sender, session,
 * role and payload. No `ipcMain.on`: fire-and-forget messages have no handler and are dropped.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { channelNames } from '../../shared/contract';
import type { Dispatch } from '../ipc/registry';
import type { Sender } from '../ipc/sender';

/** The parts of an invoke event the sender check needs. */
export type InvokeEventLike = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/**
 * Who called (checklist 17). A frame that is gone (`senderFrame` null, or disposed so that
 * reading it throws) gives origin null and is refused by the registry; only the window's own
 * main frame counts as main frame (an iframe, even of our origin, does not).
 */
export function senderFromEvent(event: InvokeEventLike): Sender {
  const id = String(event.sender.id);
  try {
    const frame = event.senderFrame;
    if (!frame) return { id, origin: null, isMainFrame: false };
    return { id, origin: frame.origin, isMainFrame: frame === event.sender.mainFrame };
  } catch {
    return { id, origin: null, isMainFrame: false };
  }
}

/**
 * Registers every contract channel; returns a function that removes them again (used on
 * quit and by tests). `dispatch` never throws: errors come back as `{ok: false, error}`.
 */
export function registerIpcHandlers(dispatch: Dispatch): () => void {
  for (const name of channelNames) {
    ipcMain.handle(name, (event, payload: unknown) => dispatch(senderFromEvent(event), name, payload));
  }
  return () => {
    for (const name of channelNames) ipcMain.removeHandler(name);
  };
}
