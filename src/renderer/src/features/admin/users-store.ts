import { create } from 'zustand';
import type { RequestOf, UserSummary } from '../../../../shared/contract';
import type { ErrorData, Result } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';
import { valueOrReport } from '../../core/result';
import { adminApi } from './api';

/** The outcome of a form action: the error to show inline, or success. */
export type ActionOutcome = { readonly ok: true } | { readonly ok: false; readonly error: ErrorData | null };

interface UsersState {
  readonly users: readonly UserSummary[] | null;
  readonly selectedId: number | null;
  load(): Promise<void>;
  select(id: number | null): void;
  create(req: RequestOf<'users:create'>): Promise<ActionOutcome>;
  update(req: RequestOf<'users:update'>): Promise<ActionOutcome>;
  setDisabled(id: number, disabled: boolean): Promise<ActionOutcome>;
  resetPassword(id: number, password: string): Promise<ActionOutcome>;
  unlock(id: number): Promise<ActionOutcome>;
}

export const useUsersStore = create<UsersState>()((set, get) => {
  const replace = (user: UserSummary) =>
    set((s) => ({ users: (s.users ?? []).map((u) => (u.id === user.id ? user : u)) }));
  const outcome = (result: Result<unknown>): ActionOutcome =>
    result.ok ? { ok: true } : { ok: false, error: inlineError(result) };

  return {
    users: null,
    selectedId: null,

    async load() {
      const users = valueOrReport(await adminApi.listUsers());
      if (users) set({ users });
    },

    select: (id) => set({ selectedId: id }),

    async create(req) {
      const result = await adminApi.createUser(req);
      if (result.ok) set((s) => ({ users: [...(s.users ?? []), result.value], selectedId: result.value.id }));
      return outcome(result);
    },

    async update(req) {
      const result = await adminApi.updateUser(req);
      if (result.ok) replace(result.value);
      return outcome(result);
    },

    async setDisabled(id, disabled) {
      const result = await adminApi.setDisabled(id, disabled);
      if (result.ok) replace(result.value);
      return outcome(result);
    },

    async resetPassword(id, password) {
      const result = await adminApi.resetPassword(id, password);
      if (result.ok) void get().load();
      return outcome(result);
    },

    async unlock(id) {
      const result = await adminApi.unlock(id);
      if (result.ok) replace(result.value);
      return outcome(result);
    },
  };
});
