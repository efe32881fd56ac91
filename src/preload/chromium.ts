/**
 * The same preload for the Chromium host (DESIGN §6): installed as an init script, it builds
 * `window.api` over the binding that the host exposes through Playwright's exposeBinding
 * (`CHROMIUM_INVOKE_BINDING`). Events arrive through `CHROMIUM_EVENT_HOOK`, which the host
 * calls with page.evaluate. Chromium has no context isolation for init scripts, so this is a
 * development/test host; the product is the Electron host.
 */
// First: configures zod before the contract's schemas are built (no eval under the CSP).
import '../shared/zod-jitless';
import { CHROMIUM_EVENT_HOOK, CHROMIUM_INVOKE_BINDING } from '../shared/ipc-constants';
import type { Result } from '../shared/errors';
import { unpackResult } from '../shared/packed-result';
import { buildApi } from './build-api';

/** Most results arrive packed as a string (src/main/chromium-host/transport.ts). */
type InvokeBinding = (channel: string, request: unknown) => Promise<Result<unknown> | string>;
const scope = globalThis as unknown as Record<string, unknown>;
const invoke = scope[CHROMIUM_INVOKE_BINDING] as InvokeBinding | undefined;

if (invoke && !('api' in scope)) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  Object.defineProperty(scope, CHROMIUM_EVENT_HOOK, {
    value: (name: string, payload: unknown) => {
      for (const listener of listeners.get(name) ?? []) listener(payload);
    },
  });
  const api = buildApi({
    invoke: async (channel, request) => unpackResult(await invoke(channel, request)) as Result<unknown>,
    subscribe(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  });
  Object.defineProperty(scope, 'api', { value: api, writable: false, configurable: false });
}
