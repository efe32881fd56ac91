import type { EventName, EventPayloadOf } from '../../shared/contract';

export type EventSink = (event: EventName, payload: unknown) => void;

/**
 * Main-to-renderer events. Each host attaches one sink per window (sender id); services emit
 * to a sender, never to "everyone", so one person's progress never shows on another's screen.
 */
export class EventBus {
  private readonly sinks = new Map<string, EventSink>();

  attach(senderId: string, sink: EventSink): () => void {
    this.sinks.set(senderId, sink);
    return () => {
      if (this.sinks.get(senderId) === sink) this.sinks.delete(senderId);
    };
  }

  emit<E extends EventName>(senderId: string, event: E, payload: EventPayloadOf<E>): void {
    this.sinks.get(senderId)?.(event, payload);
  }
}
