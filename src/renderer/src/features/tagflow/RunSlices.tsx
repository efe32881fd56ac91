import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunSlice, RunSliceView, SliceMetrics } from '../../../../shared/contract';
import { valueOrReport } from '../../core/result';
import { DataGrid } from '../../ui/DataGrid';
import { tagflowApi } from './api';

interface Row {
  readonly id: string;
  readonly value: string | null;
  readonly whole: boolean;
  readonly images: number;
  readonly result: SliceMetrics;
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));

/**
 * A run's metrics per value of a source tag (issue 6 item 7): one row per slice plus the whole
 * run, recomputed in main from the stored outcomes. `onSlice` lets the host open a slice's images.
 */
export function RunSlices({ runId, tagKeys = ['institution', 'manufacturer', 'model', 'modality'], onSlice }: { runId: number; tagKeys?: readonly string[]; onSlice?: (slice: RunSlice) => void }) {
  const { t } = useTranslation();
  const [tagKey, setTagKey] = useState(tagKeys[0] ?? 'institution');
  const [view, setView] = useState<RunSliceView | null>(null);

  useEffect(() => {
    let live = true;
    setView(null);
    void tagflowApi.slice(runId, tagKey).then((r) => {
      const v = valueOrReport(r);
      if (live && v) setView(v);
    });
    return () => {
      live = false;
    };
  }, [runId, tagKey]);

  const rows = useMemo<Row[] | null>(
    () =>
      view && [
        { id: 'whole', value: null, whole: true, images: view.whole.images, result: view.whole.result },
        ...view.slices.map((s) => ({ id: `slice:${s.value ?? ''}`, value: s.value, whole: false, images: s.images, result: s.result })),
      ],
    [view],
  );
  const columns = useMemo<ColDef<Row>[]>(
    () => [
      { headerName: t('tagflow.slice.value'), colId: 'value', flex: 1.4, valueGetter: (p) => (p.data?.whole ? t('tagflow.slice.whole') : (p.data?.value ?? t('tagflow.slice.untagged'))) },
      { headerName: t('tagflow.slice.images'), colId: 'images', width: 100, valueGetter: (p) => p.data?.images },
      {
        headerName: view?.task === 'detection' ? t('tagflow.slice.mAP') : t('tagflow.slice.accuracy'),
        colId: 'headline',
        width: 120,
        valueGetter: (p) => (p.data ? fmt(p.data.result.task === 'classification' ? p.data.result.metrics.accuracy : p.data.result.metrics.mAP) : ''),
      },
      { headerName: t('tagflow.slice.macroPrecision'), colId: 'precision', width: 140, valueGetter: (p) => fmt(p.data?.result.metrics.macro.precision) },
      { headerName: t('tagflow.slice.macroRecall'), colId: 'recall', width: 130, valueGetter: (p) => fmt(p.data?.result.metrics.macro.recall) },
      { headerName: t('tagflow.slice.macroF1'), colId: 'f1', width: 110, valueGetter: (p) => fmt(p.data?.result.metrics.macro.f1) },
    ],
    [t, view?.task],
  );

  return (
    <section className="panel-fill" data-testid="run-slices">
      <label className="field form-inline">
        <span>{t('tagflow.slice.tagKey')}</span>
        <select value={tagKey} data-testid="run-slices-key" onChange={(e) => setTagKey(e.target.value)}>
          {tagKeys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <DataGrid<Row>
        testId="run-slices-grid"
        rows={rows}
        columns={columns}
        rowId={(r) => r.id}
        {...(onSlice && view ? { onRowClicked: (r: Row) => {
          const slice = view.slices.find((s) => !r.whole && s.value === r.value);
          if (slice) onSlice(slice);
        } } : {})}
      />
    </section>
  );
}
