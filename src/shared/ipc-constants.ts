/** Names of the transport-level hooks. Not channels: channels live in the contract. */
export const EVENT_CHANNEL = 'midc:event';
export const CHROMIUM_INVOKE_BINDING = '__midcInvoke';
export const CHROMIUM_EVENT_HOOK = '__midcDispatch';
/** Origin the renderer is served from: `midc://app` in Electron, `https://midc.invalid` in the Chromium host. */
export const ELECTRON_SCHEME = 'midc';
export const ELECTRON_ORIGIN = 'midc://app';
export const CHROMIUM_ORIGIN = 'https://midc.invalid';

/**
 * The Chromium host's packed results (src/main/chromium-host/transport.ts, unpacked by
 * src/shared/packed-result.ts in the preload): a prefix, then JSON; bytes as {BYTES_KEY: base64}.
 */
export const PACKED_PLAIN = 'J';
export const PACKED_WITH_BYTES = 'B';
export const BYTES_KEY = '__midcBytes';
