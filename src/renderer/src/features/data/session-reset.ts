import { useAuthStore } from '../auth/auth-store';
import { useBatchesStore } from './batches-store';
import { useBrowserStore } from './browser-store';
import { useDuplicatesStore } from './duplicates-store';
import { useImportStore } from './import-store';

/** Drops every image row, report and form input the data feature holds in memory. */
export function clearDataStores(): void {
  useBrowserStore.getState().clear();
  useImportStore.getState().clear();
  useBatchesStore.setState({ batches: null, openId: null, items: null });
  useDuplicatesStore.setState({ pairs: null, loading: false });
}

let installed = false;

/**
 * On a shared kiosk the next person must not find the previous one's rows, filters or reports
 * (PHI): whenever the logged-in person changes (logout, lock, idle, another login), forget them.
 */
export function clearOnSessionChange(): void {
  if (installed) return;
  installed = true;
  useAuthStore.subscribe((state, previous) => {
    if ((state.session?.userId ?? null) !== (previous.session?.userId ?? null)) clearDataStores();
  });
}
