/** Names of the transport-level hooks. Not channels: channels live in the contract. */
export const EVENT_CHANNEL = 'midc:event';
export const CHROMIUM_INVOKE_BINDING = '__midcInvoke';
export const CHROMIUM_EVENT_HOOK = '__midcDispatch';
/** Origin the renderer is served from: `midc://app` in Electron, `https://midc.invalid` in the Chromium host. */
export const ELECTRON_SCHEME = 'midc';
export const ELECTRON_ORIGIN = 'midc://app';
export const CHROMIUM_ORIGIN = 'https://midc.invalid';
