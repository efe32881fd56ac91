import { contract, type ChannelName } from '../../../../shared/contract';
import { accessAllows, ROLES, type Access, type Role } from '../../../../shared/roles';

export interface PermissionRow {
  readonly channel: ChannelName;
  readonly access: 'public' | 'session' | 'roles';
  readonly mutates: boolean;
  readonly allowed: Readonly<Record<Role, boolean>>;
}

/**
 * Roles × channels, computed from the same contract the main process enforces, with the same
 * `accessAllows` rule; so the table cannot drift from the checks.
 */
export function permissionMatrix(channels: Readonly<Record<string, { access: Access; mutates: boolean }>> = contract): PermissionRow[] {
  return Object.entries(channels)
    .map(([channel, def]) => ({
      channel: channel as ChannelName,
      access: def.access === 'public' || def.access === 'session' ? def.access : ('roles' as const),
      mutates: def.mutates,
      allowed: Object.fromEntries(ROLES.map((role) => [role, accessAllows(def.access, [role])])) as Record<Role, boolean>,
    }))
    .sort((a, b) => a.channel.localeCompare(b.channel));
}
