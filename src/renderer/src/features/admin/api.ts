import type { RequestOf } from '../../../../shared/contract';
import { settle } from '../../core/result';

/** The only module of the admin feature that touches window.api (HOUSE-STYLE 15). */
export const adminApi = {
  listUsers: () => settle(() => window.api.users.list({})),
  createUser: (req: RequestOf<'users:create'>) => settle(() => window.api.users.create(req)),
  updateUser: (req: RequestOf<'users:update'>) => settle(() => window.api.users.update(req)),
  setDisabled: (id: number, disabled: boolean) => settle(() => window.api.users.setDisabled({ id, disabled })),
  resetPassword: (id: number, password: string) => settle(() => window.api.users.resetPassword({ id, password })),
  unlock: (id: number) => settle(() => window.api.users.unlock({ id })),
  getSettings: () => settle(() => window.api.settings.get({})),
  updateSettings: (idleMinutes: number) => settle(() => window.api.settings.update({ idleMinutes })),
  listAudit: (req: RequestOf<'audit:list'>) => settle(() => window.api.audit.list(req)),
  verifyAudit: () => settle(() => window.api.audit.verify({})),
};
