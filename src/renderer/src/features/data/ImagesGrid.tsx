import type { ColDef } from 'ag-grid-community';
import type { CustomCellRendererProps } from 'ag-grid-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImageRow } from '../../../../shared/contract';
import { DataGrid, type GridSort } from '../../ui/DataGrid';
import { formatDateTime } from '../../ui/format';
import { sortKeyOfColumn, tagColId, type BrowserSort } from './browser-store';
import { COMMON_TAG_KEYS } from './tags';
import type { ThumbnailCache } from './thumbnail-cache';
import { Thumbnail } from './Thumbnail';

interface Props {
  readonly rows: readonly ImageRow[] | null;
  readonly extraKeys: readonly string[];
  readonly sort: BrowserSort;
  readonly selectedIds: readonly number[];
  readonly cache: ThumbnailCache;
  readonly onSort: (sort: BrowserSort | null) => void;
  readonly onSelection: (pageIds: number[], checked: number[]) => void;
  readonly onRowClicked?: (row: ImageRow) => void;
}

type ThumbProps = CustomCellRendererProps<ImageRow> & { cache: ThumbnailCache };

function ThumbCell({ data, cache }: ThumbProps) {
  if (!data) return null;
  return <Thumbnail cache={cache} id={data.id} available={data.hasThumbnail} alt={data.originalName} />;
}

const THUMB_ROW_HEIGHT = 52;

/** One page of images: sorted by the server, thumbnails fetched only for rows the grid renders. */
export function ImagesGrid({ rows, extraKeys, sort, selectedIds, cache, onSort, onSelection, onRowClicked }: Props) {
  const { t, i18n } = useTranslation();
  const columns = useMemo<ColDef<ImageRow>[]>(() => {
    // The sort arrow of the current sort survives a re-mount (language change); later clicks are the grid's own.
    const initialSort = (colId: string) => (sortKeyOfColumn(colId) === sort.key ? { initialSort: sort.dir } : {});
    const tagColumn = (key: string, label: string): ColDef<ImageRow> => ({
      headerName: label,
      colId: tagColId(key),
      minWidth: 110,
      flex: 1,
      valueGetter: (p) => p.data?.tags[key] ?? '',
      tooltipValueGetter: (p) => p.data?.tags[key],
      ...initialSort(tagColId(key)),
    });
    return [
      {
        headerName: t('data.browser.thumbnail'),
        colId: 'thumb',
        width: 76,
        sortable: false,
        resizable: false,
        cellRenderer: ThumbCell,
        cellRendererParams: { cache },
      },
      { headerName: t('data.browser.id'), colId: 'id', field: 'id', width: 90, ...initialSort('id') },
      { headerName: t('data.browser.name'), colId: 'originalName', field: 'originalName', minWidth: 160, flex: 1.4, tooltipField: 'originalName', ...initialSort('originalName') },
      { headerName: t('data.browser.kind'), colId: 'kind', width: 90, sortable: false, valueGetter: (p) => (p.data ? t(`data.kinds.${p.data.kind}`) : '') },
      ...COMMON_TAG_KEYS.map((k) => tagColumn(k, t(`data.tags.${k}`))),
      ...extraKeys.map((k) => tagColumn(k, k)),
      { headerName: t('data.browser.batch'), colId: 'batch', field: 'batchId', width: 90, sortable: false },
      {
        headerName: t('data.browser.importedAt'),
        colId: 'importedAt',
        width: 180,
        valueGetter: (p) => formatDateTime(p.data?.importedAt, i18n.language),
        ...initialSort('importedAt'),
      },
    ];
    // `sort` is left out on purpose: it is read once per column set (see above).
  }, [t, i18n.language, extraKeys, cache]);

  const selected = useMemo(() => selectedIds.map(String), [selectedIds]);
  const onSortChanged = (s: GridSort | null) => {
    const key = s ? sortKeyOfColumn(s.colId) : null;
    onSort(key && s ? { key, dir: s.dir } : null);
  };

  return (
    <DataGrid<ImageRow>
      testId="browser-grid"
      rows={rows}
      columns={columns}
      rowId={(r) => String(r.id)}
      rowHeight={THUMB_ROW_HEIGHT}
      multiSelect
      selectedIds={selected}
      onSelectionChanged={(checked, shown) => onSelection(shown.map((r) => r.id), checked.map((r) => r.id))}
      onSortChanged={onSortChanged}
      {...(onRowClicked ? { onRowClicked } : {})}
    />
  );
}
