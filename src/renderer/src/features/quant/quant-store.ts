import { create } from 'zustand';
import type { QuantMatrixDetail, QuantMatrixView, RequestOf, StandardView } from '../../../../shared/contract';
import type { ErrorData, Result } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';
import { valueOrReport } from '../../core/result';
import { quantApi } from './api';

export type QuantOutcome = { readonly ok: true; readonly newVersion?: number } | { readonly ok: false; readonly error: ErrorData | null };

type MatrixFields = Omit<RequestOf<'quant:create'>, never>;

interface QuantState {
  readonly matrices: readonly QuantMatrixView[] | null;
  readonly standards: readonly StandardView[];
  /** The matrix shown in the editor (any version id of it); null with `creating` for a new one. */
  readonly selectedId: number | null;
  readonly detail: QuantMatrixDetail | null;
  readonly creating: boolean;
  load(): Promise<void>;
  select(id: number | null): Promise<void>;
  startNew(): void;
  save(fields: MatrixFields): Promise<QuantOutcome>;
  disable(id: number): Promise<QuantOutcome>;
  link(matrixId: number, standardId: number): Promise<QuantOutcome>;
  unlink(matrixId: number, standardId: number): Promise<QuantOutcome>;
}

export const useQuantStore = create<QuantState>()((set, get) => {
  const fail = (result: Result<unknown>): QuantOutcome => ({ ok: false, error: inlineError(result) });
  /** After a write: the list and the open matrix again, from main (the source of truth). */
  const refresh = async (id: number) => {
    await get().load();
    await get().select(id);
  };

  return {
    matrices: null,
    standards: [],
    selectedId: null,
    detail: null,
    creating: false,

    async load() {
      const [matrices, standards] = await Promise.all([quantApi.list(), quantApi.standards()]);
      const list = valueOrReport(matrices);
      if (list) set({ matrices: list });
      // quant_user, engineers and algorithm admins may all read the standards.
      const std = valueOrReport(standards);
      if (std) set({ standards: std });
    },

    async select(id) {
      if (id === null) {
        set({ selectedId: null, detail: null, creating: false });
        return;
      }
      set({ selectedId: id, creating: false });
      const detail = valueOrReport(await quantApi.get(id));
      if (detail && get().selectedId === id) set({ detail });
    },

    startNew: () => set({ selectedId: null, detail: null, creating: true }),

    async save(fields) {
      const current = get().detail?.matrix;
      if (get().creating || !current) {
        const result = await quantApi.create(fields);
        if (!result.ok) return fail(result);
        await refresh(result.value.id);
        return { ok: true };
      }
      const result = await quantApi.update({ id: current.id, ...fields });
      if (!result.ok) return fail(result);
      await refresh(result.value.matrix.id);
      return result.value.newVersion ? { ok: true, newVersion: result.value.matrix.version } : { ok: true };
    },

    async disable(id) {
      const result = await quantApi.disable(id);
      if (!result.ok) return fail(result);
      await refresh(result.value.id);
      return { ok: true };
    },

    async link(matrixId, standardId) {
      const result = await quantApi.link(matrixId, standardId);
      if (!result.ok) return fail(result);
      await refresh(result.value.id);
      return { ok: true };
    },

    async unlink(matrixId, standardId) {
      const result = await quantApi.unlink(matrixId, standardId);
      if (!result.ok) return fail(result);
      await refresh(result.value.id);
      return { ok: true };
    },
  };
});
