import type { z } from 'zod';
import type { Access } from '../roles';

/**
 * One IPC channel: its request schema, the roles allowed to call it, and whether it changes
 * stored state (mutating calls are audited on success and on failure; every denial is audited).
 * The response type is carried as a phantom so that the preload and the renderer get it
 * without any runtime cost.
 */
export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res = unknown> {
  readonly request: Req;
  readonly access: Access;
  readonly mutates: boolean;
  /** Reading protected health information is audited even when nothing changes. */
  readonly auditRead?: boolean;
  /** Phantom: never set at runtime. */
  readonly __response?: Res;
}

/** `channel<Res>()({request, access, mutates})`: the two-step form lets TypeScript infer Req. */
export function channel<Res>() {
  return <Req extends z.ZodType>(def: {
    request: Req;
    access: Access;
    mutates: boolean;
    auditRead?: boolean;
  }): ChannelDef<Req, Res> => def;
}

/** A main-to-renderer event; delivered to the window whose session it concerns. */
export interface EventDef<Payload = unknown> {
  readonly __payload?: Payload;
}

export function event<Payload>(): EventDef<Payload> {
  return {};
}

/** `users:create` -> namespace `users`, method `create`. */
export function splitChannel(name: string): [string, string] {
  const i = name.indexOf(':');
  if (i <= 0 || i === name.length - 1) throw new Error(`channel name must be "namespace:method": ${name}`);
  return [name.slice(0, i), name.slice(i + 1)];
}

/** `session:ended` -> `onSessionEnded` (HOUSE-STYLE 9: events are named onX). */
export function eventMethodName(name: string): string {
  const [ns, method] = splitChannel(name);
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return `on${cap(ns)}${cap(method)}`;
}
