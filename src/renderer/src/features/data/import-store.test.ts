import { beforeEach, describe, expect, it } from 'vitest';
import type { ImportProgressView, ImportReportView } from '../../../../shared/contract';
import type { Result } from '../../../../shared/errors';
import { useErrorStore } from '../../core/error-store';
import { err, ok } from '../../test-support/fake-api';
import { installDataFakeApi, type DataFakeApi } from './data-fake-api';
import { finishRun, IDLE, progressRatio, reduceProgress, useImportStore, type ImportRun } from './import-store';

const progress = (over: Partial<ImportProgressView> = {}): ImportProgressView => ({
  batch: 7,
  total: 12,
  done: 4,
  imported: 3,
  duplicates: 0,
  quarantined: 1,
  ...over,
});

const REPORT: ImportReportView = {
  batch: 7,
  imported: 9,
  duplicates: 0,
  quarantined: [{ path: '/d/README.md', reason: 'not a DICOM file' }],
  items: [
    ...Array.from({ length: 9 }, (_, i) => ({ path: `/d/${i}.dcm`, id: i + 1, sha256: 'x', status: 'imported' as const })),
    { path: '/d/README.md', id: null, sha256: 'y', status: 'quarantined' as const, reason: 'not a DICOM file' },
  ],
  cancelled: false,
};

const running: ImportRun = { ...IDLE, phase: 'running' };

describe('import progress reducer', () => {
  it('adopts the batch of the first event and its counts', () => {
    expect(reduceProgress(running, progress())).toMatchObject({ batch: 7, progress: progress() });
  });

  it('ignores events of another batch once its own is known', () => {
    const ours = reduceProgress(running, progress());
    expect(reduceProgress(ours, progress({ batch: 8, done: 10 }))).toBe(ours);
  });

  it('never moves the counts backwards on a late or reordered event', () => {
    const later = reduceProgress(running, progress({ done: 9 }));
    expect(reduceProgress(later, progress({ done: 5 }))).toBe(later);
  });

  it('ignores events when no import runs (after the call returned)', () => {
    const done = finishRun(reduceProgress(running, progress()), REPORT);
    expect(reduceProgress(done, progress({ done: 12 }))).toBe(done);
  });

  it('takes the final counts from the report', () => {
    const done = finishRun(reduceProgress(running, progress()), REPORT);
    expect(done.phase).toBe('done');
    expect(done.progress).toEqual({ batch: 7, total: 12, done: 10, imported: 9, duplicates: 0, quarantined: 1 });
  });

  it('computes the bar from done and total', () => {
    expect(progressRatio(null)).toBe(0);
    expect(progressRatio(progress({ total: 0, done: 0 }))).toBe(0);
    expect(progressRatio(progress({ total: 8, done: 2 }))).toBe(0.25);
  });
});

describe('import store', () => {
  let fake: DataFakeApi;
  beforeEach(() => {
    fake = installDataFakeApi();
    useImportStore.setState({ ...IDLE });
    useErrorStore.getState().clear();
  });

  it('shows live progress while the call runs, then the report, and unsubscribes', async () => {
    let finish: (r: Result<unknown>) => void = () => undefined;
    fake.data.images.import.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const started = useImportStore.getState().start(['/d'], { institution: 'Site A' });
    expect(fake.data.images.import).toHaveBeenCalledWith({ paths: ['/d'], tags: { institution: 'Site A' }, deidentify: false });
    expect(useImportStore.getState().phase).toBe('running');

    fake.emitProgress(progress({ done: 6, total: 10 }));
    expect(useImportStore.getState().progress).toMatchObject({ done: 6, total: 10 });
    expect(useImportStore.getState().batch).toBe(7);

    finish(ok(REPORT));
    await started;
    expect(useImportStore.getState()).toMatchObject({ phase: 'done', report: REPORT });
    expect(fake.progressListeners.size).toBe(0);
  });

  it('cancels the running batch by its number', async () => {
    fake.data.images.import.mockReturnValue(new Promise(() => undefined));
    fake.data.images.cancelImport.mockResolvedValue(ok({ cancelled: true }));
    void useImportStore.getState().start(['/d'], {});
    await useImportStore.getState().cancel();
    // No batch number yet: nothing to cancel.
    expect(fake.data.images.cancelImport).not.toHaveBeenCalled();
    fake.emitProgress(progress());
    await useImportStore.getState().cancel();
    expect(fake.data.images.cancelImport).toHaveBeenCalledWith({ batch: 7 });
    expect(useImportStore.getState().cancelling).toBe(true);
  });

  it('keeps the error of a refused import for the form', async () => {
    fake.data.images.import.mockResolvedValue(err('FORBIDDEN', 'ops only'));
    await useImportStore.getState().start(['/d'], {});
    expect(useImportStore.getState()).toMatchObject({ phase: 'failed', error: { code: 'FORBIDDEN', message: 'ops only' } });
  });

  it('keeps the form input across a reset', async () => {
    useImportStore.getState().setDraft({ pathsText: '/d', tags: [{ key: 'a', value: 'b' }], deidentify: true });
    fake.data.images.import.mockResolvedValue(ok(REPORT));
    await useImportStore.getState().start(['/d'], { a: 'b' }, true);
    expect(fake.data.images.import).toHaveBeenCalledWith({ paths: ['/d'], tags: { a: 'b' }, deidentify: true });
    useImportStore.getState().reset();
    expect(useImportStore.getState()).toMatchObject({ phase: 'idle', report: null, draft: { pathsText: '/d', deidentify: true } });
  });
});
