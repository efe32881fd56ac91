import { channelNames, eventMethodName, eventNames, splitChannel } from '../shared/contract';
import type { MidcApi, Transport } from '../shared/contract/api';

/**
 * Builds `window.api` from the contract: one named function per channel, one `onX` per event,
 * nothing generic (HOUSE-STYLE 7). The same code runs in the Electron preload and in the
 * Chromium host's init script; only the transport differs. Frozen so page code cannot swap
 * a function for its own.
 */
export function buildApi(transport: Transport): MidcApi {
  const namespaces: Record<string, Record<string, (request: unknown) => Promise<unknown>>> = {};
  for (const name of channelNames) {
    const [ns, method] = splitChannel(name);
    const group = (namespaces[ns] ??= {});
    group[method] = (request: unknown) => transport.invoke(name, request ?? {});
  }
  const eventFns: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
  for (const name of eventNames) {
    eventFns[eventMethodName(name)] = (listener) => transport.subscribe(name, listener);
  }
  for (const group of Object.values(namespaces)) Object.freeze(group);
  return Object.freeze({ ...namespaces, events: Object.freeze(eventFns) }) as unknown as MidcApi;
}
