import type { ColDef } from 'ag-grid-community';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelTask, ModelView } from '../../../../../shared/contract';
import { DataGrid } from '../../../ui/DataGrid';
import { formatDateTime } from '../../../ui/format';
import { useFormAction } from '../outcome';
import { useRegistriesStore } from '../registries-store';
import { FormStatus } from './FormStatus';

/** Models: created, renamed and re-summarised; never deleted (runs refer to them). */
export function ModelsSection({ canEdit }: { canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const models = useRegistriesStore((s) => s.models);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const selected = models?.find((m) => m.id === selectedId) ?? null;
  const columns = useMemo<ColDef<ModelView>[]>(
    () => [
      { headerName: t('results.registries.models.name'), field: 'name', flex: 1, minWidth: 120 },
      { headerName: t('results.registries.models.task'), colId: 'task', width: 130, valueGetter: (p) => (p.data ? t(`results.task.${p.data.task}`) : '') },
      { headerName: t('results.registries.models.summary'), field: 'summary', flex: 2, minWidth: 160, tooltipField: 'summary' },
      { headerName: t('results.registries.created'), colId: 'created', width: 170, valueGetter: (p) => formatDateTime(p.data?.createdAt, i18n.language) },
    ],
    [t, i18n.language],
  );
  return (
    <div className="split" data-testid="registries-models">
      <div className="split-main">
        <DataGrid<ModelView>
          testId="models-grid"
          rows={models}
          columns={columns}
          rowId={(m) => String(m.id)}
          selectedId={selectedId === null ? null : String(selectedId)}
          onRowClicked={(m) => setSelectedId(m.id)}
        />
      </div>
      {canEdit && (
        <aside className="split-side">
          {selected ? <EditModelForm key={selected.id} model={selected} /> : <p className="muted card">{t('results.registries.models.selectHint')}</p>}
          <CreateModelForm />
        </aside>
      )}
    </div>
  );
}

function CreateModelForm() {
  const { t } = useTranslation();
  const createModel = useRegistriesStore((s) => s.createModel);
  const [name, setName] = useState('');
  const [summary, setSummary] = useState('');
  const [task, setTask] = useState<ModelTask>('classification');
  const action = useFormAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    const ok = await action.run(() => createModel({ name: name.trim(), summary, task }), t('results.registries.models.created', { name: name.trim() }));
    if (ok) {
      setName('');
      setSummary('');
    }
  };
  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="model-create-form">
      <h3>{t('results.registries.models.createTitle')}</h3>
      <label className="field">
        <span>{t('results.registries.models.name')}</span>
        <input data-testid="model-create-name" required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('results.registries.models.task')}</span>
        <select data-testid="model-create-task" value={task} onChange={(e) => setTask(e.target.value as ModelTask)}>
          <option value="classification">{t('results.task.classification')}</option>
          <option value="detection">{t('results.task.detection')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('results.registries.models.summary')}</span>
        <textarea data-testid="model-create-summary" rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} />
      </label>
      <FormStatus error={action.error} done={action.done} testId="model-create" onDismiss={action.clear} />
      <button type="submit" className="btn btn-primary" data-testid="model-create-submit" disabled={action.busy}>
        {action.busy ? t('common.saving') : t('results.registries.models.create')}
      </button>
    </form>
  );
}

function EditModelForm({ model }: { model: ModelView }) {
  const { t } = useTranslation();
  const updateModel = useRegistriesStore((s) => s.updateModel);
  const [name, setName] = useState(model.name);
  const [summary, setSummary] = useState(model.summary);
  const action = useFormAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    await action.run(() => updateModel({ id: model.id, name: name.trim(), summary }), t('results.registries.saved'));
  };
  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="model-edit-form">
      <h3>{t('results.registries.models.editTitle', { name: model.name })}</h3>
      <p className="hint">{t('results.registries.models.taskFixed', { task: t(`results.task.${model.task}`) })}</p>
      <label className="field">
        <span>{t('results.registries.models.name')}</span>
        <input data-testid="model-edit-name" required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('results.registries.models.summary')}</span>
        <textarea data-testid="model-edit-summary" rows={4} value={summary} onChange={(e) => setSummary(e.target.value)} />
      </label>
      <FormStatus error={action.error} done={action.done} testId="model-edit" onDismiss={action.clear} />
      <button type="submit" className="btn btn-primary" data-testid="model-edit-submit" disabled={action.busy}>
        {action.busy ? t('common.saving') : t('common.save')}
      </button>
    </form>
  );
}
