import type { ColDef } from 'ag-grid-community';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunSliceView, SliceMetrics, TagLink } from '../../../../../shared/contract';
import type { ErrorData } from '../../../../../shared/errors';
import { inlineError } from '../../../core/inline-error';
import { DataGrid } from '../../../ui/DataGrid';
import { ErrorBanner } from '../../../ui/ErrorBanner';
import { resultsApi } from '../api';
import { CsvLink } from '../common/CsvLink';
import { LinkCell } from '../../../ui/LinkCell';
import { formatFigure } from '../compare-rules';
import { useDrillStore } from '../drill-store';

/** One row of the sliced grid: the whole run or one value of the tag. */
export interface SliceRow {
  readonly key: string;
  readonly value: string | null;
  readonly whole: boolean;
  readonly images: number;
  readonly headline: number | null;
  readonly macroPrecision: number | null;
  readonly macroRecall: number | null;
  readonly macroF1: number | null;
  readonly link: TagLink | null;
}

function figures(r: SliceMetrics) {
  const m = r.metrics;
  return {
    headline: r.task === 'classification' ? r.metrics.accuracy : r.metrics.mAP,
    macroPrecision: m.macro.precision,
    macroRecall: m.macro.recall,
    macroF1: m.macro.f1,
  };
}

/** The sliced view as rows: the whole run first, then each value of the tag (the untagged slice last, as the server orders them). */
export function sliceRows(view: RunSliceView): SliceRow[] {
  return [
    { key: 'whole', value: null, whole: true, images: view.whole.images, link: null, ...figures(view.whole.result) },
    ...view.slices.map((s, i) => ({ key: `s${i}`, value: s.value, whole: false, images: s.images, link: s.link, ...figures(s.result) })),
  ];
}

/** The same figures per value of a source tag (institution, device, modality…): issue 6 item 7. */
export function SlicesPanel({ runId, runIds }: { runId: number; runIds: readonly number[] }) {
  const { t } = useTranslation();
  const listId = useId();
  const [keys, setKeys] = useState<string[]>([]);
  const [tagKey, setTagKey] = useState('');
  const [view, setView] = useState<RunSliceView | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const openImages = useDrillStore((s) => s.openImages);

  useEffect(() => {
    void resultsApi.tagKeys().then((r) => r.ok && setKeys(r.value));
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !tagKey.trim()) return;
    setBusy(true);
    const result = await resultsApi.slice(runId, tagKey.trim());
    setBusy(false);
    setView(result.ok ? result.value : null);
    setError(result.ok ? null : inlineError(result));
  };

  const rows = useMemo(() => (view ? sliceRows(view) : null), [view]);
  const columns = useMemo<ColDef<SliceRow>[]>(() => {
    const ratio = (field: keyof SliceRow, header: string): ColDef<SliceRow> => ({
      headerName: header,
      colId: field,
      width: 130,
      type: 'numericColumn',
      valueGetter: (p) => (p.data ? (p.data[field] as number | null) : null),
      valueFormatter: (p) => formatFigure(p.value as number | null, 'ratio'),
    });
    return [
      {
        headerName: view?.tagKey ?? t('results.slices.value'),
        colId: 'value',
        flex: 1,
        minWidth: 160,
        valueGetter: (p) => (p.data?.whole ? t('results.slices.whole') : (p.data?.value ?? t('results.slices.untagged'))),
        cellRenderer: LinkCell,
        cellRendererParams: {
          link: (row: SliceRow) => {
            const link = row.link;
            if (!link) return null;
            return {
              open: () => void openImages(`${view?.tagKey ?? ''} = ${row.value ?? ''}`, { kind: 'link', link }, runIds, 'tagset'),
              testId: `slice-${row.value ?? 'untagged'}`,
            };
          },
        },
      },
      { headerName: t('results.slices.images'), colId: 'images', width: 100, type: 'numericColumn', valueGetter: (p) => p.data?.images },
      ratio('headline', view?.task === 'detection' ? t('results.metric.mAP') : t('results.metric.accuracy')),
      ratio('macroPrecision', `${t('results.average.macro')} ${t('results.metric.precision')}`),
      ratio('macroRecall', `${t('results.average.macro')} ${t('results.metric.recall')}`),
      ratio('macroF1', `${t('results.average.macro')} ${t('results.metric.f1')}`),
    ];
  }, [t, view, runIds, openImages]);

  return (
    <div className="card panel-fill" data-testid="run-slices">
      <form className="results-inline" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t('results.slices.tagKey')}</span>
          <input data-testid="slice-key" list={listId} value={tagKey} onChange={(e) => setTagKey(e.target.value)} placeholder="institution" />
          <datalist id={listId}>
            {keys.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </label>
        <button type="submit" className="btn" data-testid="slice-go" disabled={busy || !tagKey.trim()}>
          {t('results.slices.go')}
        </button>
        {rows && (
          <CsvLink
            name={`slices ${tagKey}`}
            testId="slices-csv"
            headers={[tagKey, 'images', 'headline', 'macro precision', 'macro recall', 'macro f1']}
            rows={rows.map((r) => [r.whole ? '(all)' : r.value, r.images, r.headline, r.macroPrecision, r.macroRecall, r.macroF1])}
          />
        )}
      </form>
      {error && <ErrorBanner error={error} testId="slice-error" onDismiss={() => setError(null)} />}
      {rows && (
        <div className="slices-grid-box">
          <DataGrid<SliceRow> testId="slices-grid" rows={rows} columns={columns} rowId={(r) => r.key} rowClass={(r) => (r.whole ? 'row-summary' : undefined)} />
        </div>
      )}
    </div>
  );
}
