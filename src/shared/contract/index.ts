/**
 * The IPC contract: the single source of truth for every call between renderer and main
 * (HOUSE-STYLE 5). Each domain declares its channels in its own file; this module only
 * composes them. Call sites never spell a channel name as a string literal outside the
 * contract: the preload derives `window.api` from these objects and the main registry
 * requires a handler for every key.
 */
import type { z } from 'zod';
import { auditChannels } from './audit';
import { authChannels, authEvents } from './auth';
import { backupChannels, backupEvents } from './backup';
import type { ChannelDef, EventDef } from './channel';
import { datasetsChannels } from './datasets';
import { evaluationChannels, evaluationEvents } from './evaluation';
import { imagesChannels, imagesEvents } from './images';
import { labelingChannels, labelingEvents } from './labeling';
import { quantChannels } from './quant';
import { registriesChannels } from './registries';
import { systemChannels } from './system';
import { tagflowChannels } from './tagflow';
import { usersChannels } from './users';

export const contract = {
  ...authChannels,
  ...usersChannels,
  ...auditChannels,
  ...systemChannels,
  ...imagesChannels,
  ...datasetsChannels,
  ...registriesChannels,
  ...labelingChannels,
  ...evaluationChannels,
  ...backupChannels,
  ...tagflowChannels,
  ...quantChannels,
} as const;

export const events = {
  ...authEvents,
  ...imagesEvents,
  ...evaluationEvents,
  ...labelingEvents,
  ...backupEvents,
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type EventName = keyof typeof events;

export type RequestOf<C extends ChannelName> = Contract[C] extends ChannelDef<infer Req, unknown> ? z.input<Req> : never;
export type ParsedRequestOf<C extends ChannelName> =
  Contract[C] extends ChannelDef<infer Req, unknown> ? z.output<Req> : never;
export type ResponseOf<C extends ChannelName> = Contract[C] extends ChannelDef<z.ZodType, infer Res> ? Res : never;
export type EventPayloadOf<E extends EventName> = (typeof events)[E] extends EventDef<infer P> ? P : never;

export const channelNames = Object.keys(contract) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

export * from './audit';
export * from './auth';
export * from './backup';
export * from './channel';
export * from './datasets';
export * from './detail-columns';
export * from './evaluation';
export * from './images';
export * from './labeling';
export * from './quant';
export * from './registries';
export * from './system';
export * from './tagflow';
export * from './users';
