export interface IdleTimerOptions {
  /** Inactivity after which `onIdle` runs once. */
  readonly idleMs: number;
  readonly onIdle: () => void;
  /** Called on activity at most once per `heartbeatMs` (main's own idle check then agrees). */
  readonly onHeartbeat?: () => void;
  readonly heartbeatMs?: number;
  readonly now?: () => number;
}

export interface IdleTimer {
  /** The person did something: pointer, key, wheel, touch. */
  activity(): void;
  stop(): void;
}

/**
 * A renderer idle timer built on setTimeout and Date.now only, so that fake clocks (vitest's,
 * Playwright's page.clock) drive it. Activity only records a time stamp: one pending timeout
 * at a time, which re-arms itself for the remainder when it fires early, instead of clearing
 * and creating a timer on every mouse move.
 */
export function startIdleTimer({ idleMs, onIdle, onHeartbeat, heartbeatMs = 60_000, now = () => Date.now() }: IdleTimerOptions): IdleTimer {
  let last = now();
  let lastBeat = last;
  let handle: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const arm = (delay: number) => {
    handle = setTimeout(check, Math.max(0, delay));
  };
  const check = () => {
    handle = null;
    if (stopped) return;
    const remaining = last + idleMs - now();
    if (remaining > 0) {
      arm(remaining);
      return;
    }
    stopped = true;
    onIdle();
  };
  arm(idleMs);

  return {
    activity() {
      if (stopped) return;
      const t = now();
      last = t;
      if (onHeartbeat && t - lastBeat >= heartbeatMs) {
        lastBeat = t;
        onHeartbeat();
      }
    },
    stop() {
      stopped = true;
      if (handle !== null) clearTimeout(handle);
      handle = null;
    },
  };
}
