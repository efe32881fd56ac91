import { create } from 'zustand';
import type { ModuleId } from './modules';

interface ShellState {
  /** The module the person chose; the shell falls back to their first visible one. */
  readonly current: ModuleId | null;
  navigate(id: ModuleId): void;
  reset(): void;
}

export const useShellStore = create<ShellState>()((set) => ({
  current: null,
  navigate: (id) => set({ current: id }),
  reset: () => set({ current: null }),
}));
