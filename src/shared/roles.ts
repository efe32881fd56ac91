/**
 * The eight roles of DESIGN §1. A person may hold several; permissions are the union.
 * Checks always run in the main process (the registry); the renderer only uses these
 * to decide what to show.
 */
export const ROLES = [
  'admin',
  'ops',
  'labeling_admin',
  'annotator',
  'expert',
  'algo_admin',
  'algo_engineer',
  'quant_user',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * Who may call a channel:
 * - `public`: no session needed (login, first-run setup, status);
 * - `session`: any logged-in person;
 * - a list of roles: a logged-in person holding at least one of them.
 */
export type Access = 'public' | 'session' | readonly Role[];

export function accessAllows(access: Access, roles: readonly Role[] | null): boolean {
  if (access === 'public') return true;
  if (roles === null) return false;
  if (access === 'session') return true;
  return access.some((role) => roles.includes(role));
}
