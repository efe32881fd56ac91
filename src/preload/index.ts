/**
 * Electron preload (sandboxed, context-isolated). Exposes exactly one object, `window.api`,
 * built from the contract. `ipcRenderer` and its event objects never reach the page
 * (Electron security checklist 20): listeners receive only the payload.
 */
// First: configures zod before the contract's schemas are built (no eval under the CSP).
import '../shared/zod-jitless';
import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNEL } from '../shared/ipc-constants';
import { buildApi } from './build-api';

const listeners = new Map<string, Set<(payload: unknown) => void>>();
ipcRenderer.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const api = buildApi({
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe(name, listener) {
    const set = listeners.get(name) ?? new Set();
    listeners.set(name, set);
    set.add(listener);
    return () => set.delete(listener);
  },
});

contextBridge.exposeInMainWorld('api', api);
