import type { Role } from '../../../../shared/roles';

/**
 * The modules of DESIGN §2 and who sees them in the navigation. Data, not code: the one place
 * to change when a module's audience changes. This decides only what is shown; every call is
 * still checked against the contract in the main process.
 */
export const MODULES = [
  { id: 'inbox', roles: ['annotator'] },
  { id: 'workspace', roles: ['annotator', 'expert', 'labeling_admin'] },
  { id: 'data', roles: ['ops'] },
  { id: 'datasets', roles: ['labeling_admin', 'algo_engineer', 'ops'] },
  { id: 'results', roles: ['algo_engineer', 'algo_admin', 'expert'] },
  { id: 'quant', roles: ['quant_user', 'algo_engineer'] },
  { id: 'backup', roles: ['ops'] },
  { id: 'admin', roles: ['admin'] },
] as const satisfies readonly { id: string; roles: readonly Role[] }[];

export type ModuleId = (typeof MODULES)[number]['id'];

export interface ModuleDef {
  readonly id: ModuleId;
  readonly roles: readonly Role[];
}

export const titleKey = (id: ModuleId) => `modules.${id}.title`;
export const descriptionKey = (id: ModuleId) => `modules.${id}.description`;

/** The modules a person sees: those any of their roles allows (permissions are the union). */
export function visibleModules(roles: readonly Role[]): ModuleDef[] {
  return MODULES.filter((m) => (m.roles as readonly Role[]).some((r) => roles.includes(r)));
}

export function isModuleId(value: string): value is ModuleId {
  return MODULES.some((m) => m.id === value);
}
