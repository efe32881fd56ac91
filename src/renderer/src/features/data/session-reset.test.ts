import { beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../../shared/errors';
import { ok, session } from '../../test-support/fake-api';
import { useAuthStore } from '../auth/auth-store';
import { NO_FILTER, useBrowserStore } from './browser-store';
import { installDataFakeApi, type DataFakeApi } from './data-fake-api';
import { useImportStore } from './import-store';
import { clearOnSessionChange } from './session-reset';

describe('data feature on a shared kiosk', () => {
  let fake: DataFakeApi;
  beforeEach(() => {
    fake = installDataFakeApi();
    clearOnSessionChange();
    useAuthStore.setState({ session: session({ userId: 5, roles: ['ops'] }) });
  });

  it('forgets rows, filter, selection and the import form when the person changes', async () => {
    fake.data.images.list.mockResolvedValue(ok({ total: 1, rows: [] }));
    await useBrowserStore.getState().apply({ ...NO_FILTER, batchId: '2' });
    useBrowserStore.getState().setPageSelection([1], [1]);
    useImportStore.getState().setDraft({ pathsText: '/data/secret', tags: [], deidentify: true });

    useAuthStore.setState({ session: null });
    expect(useBrowserStore.getState()).toMatchObject({ filter: NO_FILTER, page: null, selectedIds: [] });
    expect(useImportStore.getState().draft.pathsText).toBe('');
  });

  it('drops the answer of an import started by the previous person', async () => {
    let finish: (value: Result<unknown>) => void = () => undefined;
    fake.data.images.import.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const run = useImportStore.getState().start(['/d'], {});
    useAuthStore.setState({ session: session({ userId: 6, roles: ['ops'] }) });
    finish(ok({ batch: 1, imported: 0, duplicates: 0, quarantined: [], items: [], cancelled: false }));
    await run;
    expect(useImportStore.getState()).toMatchObject({ phase: 'idle', report: null });
  });
});
