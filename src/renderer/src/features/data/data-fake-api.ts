import { vi, type Mock } from 'vitest';
import type { ImportProgressView } from '../../../../shared/contract';
import type { Result } from '../../../../shared/errors';
import { installFakeApi, ok, type FakeApi } from '../../test-support/fake-api';

type Fn = Mock<(request: unknown) => Promise<Result<unknown>>>;
type ProgressListener = (p: ImportProgressView) => void;

const fn = (): Fn => vi.fn(async () => ok(null));

function dataChannels() {
  return {
    images: {
      import: fn(),
      cancelImport: fn(),
      list: fn(),
      thumbnail: fn(),
      file: fn(),
      setTags: fn(),
      nearDuplicates: fn(),
      batches: fn(),
      batchReport: fn(),
      tagKeys: fn(),
    },
    datasets: { create: fn(), list: fn(), imageIds: fn() },
  };
}

export interface DataFakeApi extends FakeApi {
  readonly data: ReturnType<typeof dataChannels>;
  /** Delivers main's import:progress event to every subscribed listener. */
  emitProgress(p: ImportProgressView): void;
  readonly progressListeners: Set<ProgressListener>;
}

/** The shared fake window.api plus the images and datasets channels and the import:progress event (tests only). */
export function installDataFakeApi(): DataFakeApi {
  const fake = installFakeApi();
  const data = dataChannels();
  const progressListeners = new Set<ProgressListener>();
  const api = fake.api as unknown as Record<string, unknown> & { events: Record<string, unknown> };
  Object.assign(api, data);
  api.events.onImportProgress = vi.fn((listener: ProgressListener) => {
    progressListeners.add(listener);
    return () => progressListeners.delete(listener);
  });
  return {
    ...fake,
    data,
    progressListeners,
    emitProgress: (p) => {
      for (const l of progressListeners) l(p);
    },
  };
}
