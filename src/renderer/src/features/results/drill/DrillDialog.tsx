import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DrillSetName, ImageRow } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { ErrorBanner } from '../../../ui/ErrorBanner';
import { CsvLink } from '../common/CsvLink';
import { LinkCell } from '../../../ui/LinkCell';
import { Modal } from '../common/Modal';
import { membership, orderedSets } from '../drill-cells';
import { useDrillStore, type ImageSet } from '../drill-store';
import { setLabel } from '../labels';
import { ThumbCache } from '../thumbs';
import { Thumb } from './Thumb';

/** Whether a row matches the quick filter: its name, id or any tag key or value contains the text (case-insensitive). */
export function matchesQuickFilter(row: Pick<ImageRow, 'id' | 'originalName' | 'tags'>, text: string): boolean {
  const q = text.trim().toLowerCase();
  if (!q) return true;
  if (String(row.id) === q || row.originalName.toLowerCase().includes(q)) return true;
  return Object.entries(row.tags).some(([k, v]) => k.toLowerCase().includes(q) || v.toLowerCase().includes(q) || `${k}=${v}`.toLowerCase().includes(q));
}

/**
 * The exact image set behind a number (DESIGN §3): the named sets of its numerator and
 * denominator (TP, FP, ...), as a thumbnail grid and a table; an image opens large.
 */
export function DrillDialog({ set }: { set: ImageSet }) {
  const { t } = useTranslation();
  const rows = useDrillStore((s) => s.rows);
  const total = useDrillStore((s) => s.total);
  const error = useDrillStore((s) => s.error);
  const activeSet = useDrillStore((s) => s.activeSet);
  const [view, setView] = useState<'thumbs' | 'table'>('thumbs');
  const [quick, setQuick] = useState('');
  const cache = useMemo(() => new ThumbCache(), []);
  useEffect(() => () => cache.dispose(), [cache]);

  const drill = set.drill;
  const present = drill ? (Object.keys(drill.sets) as DrillSetName[]) : [];
  const sets = drill ? orderedSets(drill.numerator, drill.denominator, present) : [];
  const member = useMemo(() => (drill ? membership(drill.sets) : new Map<number, DrillSetName[]>()), [drill]);
  const boxCount = useMemo(() => {
    const out = new Map<number, number>();
    for (const list of Object.values(drill?.boxes ?? {})) for (const b of list ?? []) out.set(b.imageId, (out.get(b.imageId) ?? 0) + 1);
    return out;
  }, [drill]);
  const shown = useMemo(() => (rows ?? []).filter((r) => matchesQuickFilter(r, quick)), [rows, quick]);
  const count = (name: DrillSetName) => new Set(drill?.sets[name] ?? []).size;
  const openImage = (id: number) => useDrillStore.getState().openImage(id);
  const setsOf = (id: number) => (member.get(id) ?? []).map((s) => setLabel(t, s)).join(', ');

  const columns = useMemo<ColDef<ImageRow>[]>(
    () => [
      {
        headerName: t('results.drill.id'),
        field: 'id',
        width: 90,
        cellRenderer: LinkCell,
        cellRendererParams: { link: (row: ImageRow) => ({ open: () => openImage(row.id), testId: `drill-row-${row.id}` }) },
      },
      { headerName: t('results.drill.name'), field: 'originalName', flex: 1.2, minWidth: 150 },
      ...(drill ? [{ headerName: t('results.drill.sets'), colId: 'sets', width: 130, valueGetter: (p: { data?: ImageRow }) => (p.data ? setsOf(p.data.id) : '') }] : []),
      ...(drill?.boxes ? [{ headerName: t('results.drill.boxes'), colId: 'boxes', width: 90, valueGetter: (p: { data?: ImageRow }) => (p.data ? (boxCount.get(p.data.id) ?? 0) : 0) }] : []),
      { headerName: t('results.drill.kind'), field: 'kind', width: 80 },
      { headerName: t('results.drill.size'), colId: 'size', width: 110, valueGetter: (p) => (p.data?.width ? `${p.data.width}×${p.data.height}` : '') },
      {
        headerName: t('results.drill.tags'),
        colId: 'tags',
        flex: 2,
        minWidth: 200,
        valueGetter: (p) =>
          p.data
            ? Object.entries(p.data.tags)
                .map(([k, v]) => `${k}=${v}`)
                .join('; ')
            : '',
      },
    ],
    // setsOf and openImage read `member`/the store; `drill` covers both.
    [t, drill, boxCount],
  );

  return (
    <Modal title={set.title} onClose={() => useDrillStore.getState().close()} testId={set.testId} wide>
      {drill && (
        <p className="drill-formula" data-testid="drill-formula">
          {t('results.drill.numerator')}: {drill.numerator.map((s) => `${setLabel(t, s)} (${count(s)})`).join(' + ')}
          {drill.denominator.length > 0 && (
            <>
              {' · '}
              {t('results.drill.denominator')}: {drill.denominator.map((s) => `${setLabel(t, s)} (${count(s)})`).join(' + ')}
            </>
          )}
        </p>
      )}
      <div className="toolbar">
        <div className="chip-row">
          <button
            type="button"
            className={`chip${activeSet === 'all' ? ' active' : ''}`}
            aria-pressed={activeSet === 'all'}
            data-testid="drill-set-all"
            onClick={() => void useDrillStore.getState().setActiveSet('all')}
          >
            {t('results.sets.all')} ({set.source.kind === 'ids' ? set.source.ids.length : total})
          </button>
          {sets.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip set-${s}${activeSet === s ? ' active' : ''}`}
              aria-pressed={activeSet === s}
              data-testid={`drill-set-${s}`}
              data-count={count(s)}
              onClick={() => void useDrillStore.getState().setActiveSet(s)}
            >
              {setLabel(t, s)} ({count(s)})
            </button>
          ))}
        </div>
        <div className="button-row">
          <input
            className="drill-quick"
            data-testid="drill-quick"
            placeholder={t('results.drill.quickFilter')}
            aria-label={t('results.drill.quickFilter')}
            value={quick}
            onChange={(e) => setQuick(e.target.value)}
          />
          <div className="seg-group" role="group">
            <button type="button" className="seg" aria-pressed={view === 'thumbs'} data-testid="drill-view-thumbs" onClick={() => setView('thumbs')}>
              {t('results.drill.thumbs')}
            </button>
            <button type="button" className="seg" aria-pressed={view === 'table'} data-testid="drill-view-table" onClick={() => setView('table')}>
              {t('results.drill.table')}
            </button>
          </div>
          <CsvLink
            name={set.title}
            testId="drill-csv"
            headers={['id', 'name', 'sets', 'kind', 'sha256', 'tags']}
            rows={shown.map((r) => [r.id, r.originalName, (member.get(r.id) ?? []).join(' '), r.kind, r.sha256, Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join('; ')])}
          />
        </div>
      </div>
      {error && <ErrorBanner error={error} testId="drill-error" />}
      {rows === null && !error && <p className="muted">{t('results.loading')}</p>}
      {rows !== null && (
        <p className="muted" data-testid="drill-count" data-total={total} data-shown={shown.length}>
          {t('results.drill.count', { shown: shown.length, total })}
        </p>
      )}
      {rows !== null && view === 'thumbs' && (
        <ul className="drill-tiles" data-testid="drill-tiles">
          {shown.map((r) => (
            <li key={r.id}>
              <button type="button" className="drill-tile" data-testid={`drill-image-${r.id}`} data-image-id={r.id} onClick={() => openImage(r.id)} title={r.originalName}>
                <Thumb cache={cache} id={r.id} available={r.hasThumbnail} alt={r.originalName} />
                <span className="drill-tile-name">{r.originalName}</span>
                {drill && (
                  <span className="drill-badges">
                    {(member.get(r.id) ?? []).map((s) => (
                      <span key={s} className={`set-badge set-${s}`}>
                        {setLabel(t, s)}
                      </span>
                    ))}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
      {rows !== null && view === 'table' && (
        <div className="drill-grid-box">
          <DataGrid<ImageRow> testId="drill-grid" rows={shown} columns={columns} rowId={(r) => String(r.id)} onRowClicked={(r) => openImage(r.id)} />
        </div>
      )}
      {rows !== null && rows.length < total && (
        <button type="button" className="btn" data-testid="drill-more" onClick={() => void useDrillStore.getState().loadMore()}>
          {t('results.drill.more', { count: total - rows.length })}
        </button>
      )}
    </Modal>
  );
}
