import type { ColDef } from 'ag-grid-community';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { STANDARD_METRICS, type StandardMetric, type StandardView } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { formatDateTime } from '../../../ui/format';
import { useFormAction } from '../outcome';
import { useRegistriesStore } from '../registries-store';
import { FormStatus } from './FormStatus';

/** `recall(malignant) >= 0.75 @IoU 0.5`: a standard as one readable rule. */
export function standardRule(s: Pick<StandardView, 'metric' | 'className' | 'comparison' | 'threshold' | 'iou'>, metricName: (m: StandardMetric) => string): string {
  const subject = s.className ? `${metricName(s.metric)} (${s.className})` : metricName(s.metric);
  return `${subject} ${s.comparison === '>=' ? '≥' : '≤'} ${s.threshold}${s.iou === null ? '' : ` @IoU ${s.iou}`}`;
}

/** Test standards: created and disabled only; never edited, never deleted (results refer to them). */
export function StandardsSection({ canEdit }: { canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const standards = useRegistriesStore((s) => s.standards);
  const disableStandards = useRegistriesStore((s) => s.disableStandards);
  const [selected, setSelected] = useState<StandardView[]>([]);
  const action = useFormAction();
  const metricName = (m: StandardMetric) => t(`results.metric.${m}`);
  const columns = useMemo<ColDef<StandardView>[]>(
    () => [
      { headerName: t('results.registries.standards.name'), field: 'name', flex: 1.2, minWidth: 140 },
      { headerName: t('results.registries.standards.rule'), colId: 'rule', flex: 1.6, minWidth: 180, valueGetter: (p) => (p.data ? standardRule(p.data, (m) => t(`results.metric.${m}`)) : '') },
      {
        headerName: t('results.registries.status'),
        colId: 'status',
        width: 190,
        valueGetter: (p) =>
          p.data?.disabled
            ? t('results.registries.standards.disabledAt', { time: formatDateTime(p.data.disabledAt, i18n.language) })
            : t('results.registries.enabled'),
        cellClass: (p) => (p.data?.disabled ? 'cell-muted' : undefined),
      },
    ],
    [t, i18n.language],
  );
  const selectable = selected.filter((s) => !s.disabled);
  const disable = async () => {
    if (!selectable.length || action.busy) return;
    await action.run(() => disableStandards(selectable.map((s) => s.id)), t('results.registries.standards.disabledDone', { count: selectable.length }));
  };
  return (
    <div className="split" data-testid="registries-standards">
      <div className="split-main panel-fill">
        <div className="toolbar">
          <span className="muted">{t('results.registries.standards.rule_note')}</span>
          {canEdit && (
            <div className="button-row">
              {/* There is no edit: a disabled button whose tooltip says why, where people look for it. */}
              <span className="tooltip-host" title={t('results.registries.standards.noEdit')} data-testid="standards-no-edit">
                <button type="button" className="btn" disabled aria-describedby="standards-no-edit-why">
                  {t('results.registries.standards.edit')}
                </button>
              </span>
              <span id="standards-no-edit-why" className="sr-only">
                {t('results.registries.standards.noEdit')}
              </span>
              <button type="button" className="btn btn-danger" data-testid="standards-disable" disabled={!selectable.length || action.busy} onClick={() => void disable()}>
                {t('results.registries.standards.disableSelected', { count: selectable.length })}
              </button>
            </div>
          )}
        </div>
        <FormStatus error={action.error} done={action.done} testId="standards-disable" onDismiss={action.clear} />
        <DataGrid<StandardView>
          testId="standards-grid"
          rows={standards}
          columns={columns}
          rowId={(s) => String(s.id)}
          multiSelect={canEdit}
          selectedIds={selected.map((s) => String(s.id))}
          onSelectionChanged={(rows) => setSelected(rows)}
          rowClass={(s) => (s.disabled ? 'row-disabled' : undefined)}
        />
      </div>
      {canEdit && (
        <aside className="split-side">
          <CreateStandardForm metricName={metricName} />
        </aside>
      )}
    </div>
  );
}

function CreateStandardForm({ metricName }: { metricName: (m: StandardMetric) => string }) {
  const { t } = useTranslation();
  const createStandard = useRegistriesStore((s) => s.createStandard);
  const empty = { name: '', metric: 'accuracy' as StandardMetric, className: '', comparison: '>=' as '>=' | '<=', threshold: '', iou: '' };
  const [v, setV] = useState(empty);
  const action = useFormAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    const threshold = Number(v.threshold);
    const iou = v.iou.trim() === '' ? null : Number(v.iou);
    if (v.threshold.trim() === '' || Number.isNaN(threshold) || Number.isNaN(iou)) {
      action.setError({ code: 'VALIDATION', message: t('results.registries.params.badNumber') });
      return;
    }
    const ok = await action.run(
      () => createStandard({ name: v.name.trim(), metric: v.metric, className: v.className.trim() || null, comparison: v.comparison, threshold, iou }),
      t('results.registries.standards.created', { name: v.name.trim() }),
    );
    if (ok) setV(empty);
  };
  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="standard-create-form">
      <h3>{t('results.registries.standards.createTitle')}</h3>
      <p className="hint">{t('results.registries.standards.noEdit')}</p>
      <label className="field">
        <span>{t('results.registries.standards.name')}</span>
        <input data-testid="standard-create-name" required value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />
      </label>
      <div className="form-row">
        <label className="field">
          <span>{t('results.registries.standards.metric')}</span>
          <select data-testid="standard-create-metric" value={v.metric} onChange={(e) => setV({ ...v, metric: e.target.value as StandardMetric })}>
            {STANDARD_METRICS.map((m) => (
              <option key={m} value={m}>
                {metricName(m)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('results.registries.standards.className')}</span>
          <input data-testid="standard-create-class" placeholder={t('results.registries.standards.allClasses')} value={v.className} onChange={(e) => setV({ ...v, className: e.target.value })} />
        </label>
      </div>
      <div className="form-row">
        <label className="field">
          <span>{t('results.registries.standards.comparison')}</span>
          <select data-testid="standard-create-comparison" value={v.comparison} onChange={(e) => setV({ ...v, comparison: e.target.value as '>=' | '<=' })}>
            <option value=">=">≥</option>
            <option value="<=">≤</option>
          </select>
        </label>
        <label className="field">
          <span>{t('results.registries.standards.threshold')}</span>
          <input data-testid="standard-create-threshold" required inputMode="decimal" value={v.threshold} onChange={(e) => setV({ ...v, threshold: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('results.registries.standards.iou')}</span>
          <input data-testid="standard-create-iou" inputMode="decimal" value={v.iou} onChange={(e) => setV({ ...v, iou: e.target.value })} />
        </label>
      </div>
      <small className="hint">{t('results.registries.standards.iouHint')}</small>
      <FormStatus error={action.error} done={action.done} testId="standard-create" onDismiss={action.clear} />
      <button type="submit" className="btn btn-primary" data-testid="standard-create-submit" disabled={action.busy}>
        {action.busy ? t('common.saving') : t('results.registries.standards.create')}
      </button>
    </form>
  );
}
