/**
 * What a host knows about the caller of an IPC function. The Electron host fills it from
 * `event.senderFrame`, the Chromium host from Playwright's binding source.
 */
export interface Sender {
  /** Stable per window: the registry keys sessions by it. */
  readonly id: string;
  /** Origin of the calling frame; null when the frame is gone (Electron checklist 17). */
  readonly origin: string | null;
  readonly isMainFrame: boolean;
}

/**
 * Only our own origin's top-level frame may call; anything else is refused before parsing.
 * Compared as exact strings: Node's URL gives "null" as the origin of a custom scheme, and
 * `startsWith` would accept `midc://app.evil`.
 */
export function isTrustedSender(sender: Sender, appOrigin: string): boolean {
  return sender.isMainFrame && sender.origin !== null && sender.origin === appOrigin;
}
