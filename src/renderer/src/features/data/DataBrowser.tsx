import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TagFlowDrawer } from '../tagflow/TagFlowDrawer';
import { CommandButton } from '../shell/CommandButton';
import { PAGE_SIZE, useBrowserStore } from './browser-store';
import { BulkTagDialog } from './BulkTagDialog';
import { ColumnChooser } from './ColumnChooser';
import { CreateDatasetDialog } from './CreateDatasetDialog';
import { FilterBar } from './FilterBar';
import { ImagesGrid } from './ImagesGrid';
import { ThumbnailCache } from './thumbnail-cache';

type OpenDialog = 'bulk' | 'dataset' | null;

/** Images with their source tags: filter, sort, page, select; bulk tag edit; to-label datasets. */
export function DataBrowser() {
  const { t } = useTranslation();
  const filter = useBrowserStore((s) => s.filter);
  const sort = useBrowserStore((s) => s.sort);
  const offset = useBrowserStore((s) => s.offset);
  const page = useBrowserStore((s) => s.page);
  const loading = useBrowserStore((s) => s.loading);
  const selectedIds = useBrowserStore((s) => s.selectedIds);
  const extraKeys = useBrowserStore((s) => s.extraKeys);
  const tagKeys = useBrowserStore((s) => s.tagKeys);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [tagImage, setTagImage] = useState<number | null>(null);
  // One cache per visit: its blob URLs are revoked when the browser unmounts.
  const [cache] = useState(() => new ThumbnailCache());

  useEffect(() => {
    void useBrowserStore.getState().load();
    void useBrowserStore.getState().loadTagKeys();
    return () => cache.dispose();
  }, [cache]);

  const { apply, setSort, goTo, setPageSelection, clearSelection, toggleColumn } = useBrowserStore.getState();
  const total = page?.total ?? 0;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + PAGE_SIZE, total);

  return (
    <section className="panel-fill data-browser" data-testid="data-browser">
      <FilterBar initial={filter} tagKeys={tagKeys} onApply={(f) => void apply(f)} />
      <div className="toolbar">
        <div className="button-row">
          <span className="muted" data-testid="browser-page-info">
            {total === 0 && !loading ? t('data.browser.empty') : t('data.browser.page', { first, last, total })}
          </span>
          <button type="button" className="btn btn-small" data-testid="browser-prev" disabled={offset === 0 || loading} onClick={() => void goTo(offset - PAGE_SIZE)}>
            {t('data.browser.previous')}
          </button>
          <button type="button" className="btn btn-small" data-testid="browser-next" disabled={last >= total || loading} onClick={() => void goTo(offset + PAGE_SIZE)}>
            {t('data.browser.next')}
          </button>
          <span className="muted" data-testid="browser-selected" data-count={selectedIds.length}>
            {t('data.browser.selected', { count: selectedIds.length })}
          </span>
          {selectedIds.length > 0 && (
            <button type="button" className="btn btn-small" data-testid="browser-clear-selection" onClick={clearSelection}>
              {t('data.browser.clearSelection')}
            </button>
          )}
        </div>
        <div className="button-row">
          <button type="button" className="btn" data-testid="browser-bulk-edit" disabled={total === 0} onClick={() => setDialog('bulk')}>
            {t('data.browser.bulkEdit')}
          </button>
          <button type="button" className="btn" data-testid="browser-create-dataset" disabled={total === 0} onClick={() => setDialog('dataset')}>
            {t('data.browser.createDataset')}
          </button>
          <ColumnChooser tagKeys={tagKeys} chosen={extraKeys} onToggle={toggleColumn} />
          <button type="button" className="btn" data-testid="browser-refresh" onClick={() => void goTo(offset)}>
            {t('common.refresh')}
          </button>
          <CommandButton commandId="data.import" testId="browser-import">
            {t('data.browser.import')}
          </CommandButton>
        </div>
      </div>
      <ImagesGrid
        rows={page?.rows ?? null}
        extraKeys={extraKeys}
        sort={sort}
        selectedIds={selectedIds}
        cache={cache}
        onSort={(s) => void setSort(s)}
        onSelection={setPageSelection}
        onRowClicked={(row) => setTagImage(row.id)}
      />
      {tagImage !== null && <TagFlowDrawer imageId={tagImage} onClose={() => setTagImage(null)} />}
      {dialog === 'bulk' && <BulkTagDialog selectionCount={selectedIds.length} filterCount={total} tagKeys={tagKeys} onClose={() => setDialog(null)} />}
      {dialog === 'dataset' && <CreateDatasetDialog selectionCount={selectedIds.length} filterCount={total} onClose={() => setDialog(null)} />}
    </section>
  );
}
