import { create } from 'zustand';
import type { AppSettings } from '../../../../shared/contract';
import { inlineError } from '../../core/inline-error';
import { valueOrReport } from '../../core/result';
import { useAuthStore } from '../auth/auth-store';
import { adminApi } from './api';
import type { ActionOutcome } from './users-store';

interface SettingsState {
  readonly settings: AppSettings | null;
  load(): Promise<void>;
  saveIdleMinutes(minutes: number): Promise<ActionOutcome>;
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: null,
  async load() {
    const settings = valueOrReport(await adminApi.getSettings());
    if (settings) set({ settings });
  },
  async saveIdleMinutes(minutes) {
    const result = await adminApi.updateSettings(minutes);
    if (result.ok) {
      set({ settings: result.value });
      useAuthStore.getState().setIdleMinutes(result.value.idleMinutes);
      return { ok: true };
    }
    return { ok: false, error: inlineError(result) };
  },
}));
