/**
 * The shape of `window.api`, derived from the contract: `users:create` becomes
 * `api.users.create(request)`, `session:ended` becomes `api.events.onSessionEnded(cb)`.
 */
import type { Result } from '../errors';
import type { ChannelName, EventName, EventPayloadOf, RequestOf, ResponseOf } from './index';

type Namespace<C extends string> = C extends `${infer N}:${string}` ? N : never;
type Method<C extends string, N extends string> = C extends `${N}:${infer M}` ? M : never;

type Capitalize1<S extends string> = S extends `${infer H}${infer T}` ? `${Uppercase<H>}${T}` : S;
type EventMethod<E extends string> = E extends `${infer N}:${infer M}` ? `on${Capitalize1<N>}${Capitalize1<M>}` : never;

export type Unsubscribe = () => void;

export type MidcApi = {
  readonly [N in Namespace<ChannelName>]: {
    readonly [C in ChannelName as Method<C, N>]: (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>>;
  };
} & {
  readonly events: {
    readonly [E in EventName as EventMethod<E>]: (listener: (payload: EventPayloadOf<E>) => void) => Unsubscribe;
  };
};

/** How a host moves calls and events; the preload builds `MidcApi` on top of one of these. */
export interface Transport {
  invoke(channel: ChannelName, request: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): Unsubscribe;
}
