import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DropFileView, DropFolderView } from '../../../../../shared/contract';
import { formatDateTime } from '../../../ui/format';
import { useAuthStore } from '../../auth/auth-store';
import { useFormAction } from '../outcome';
import { FormStatus } from '../registries/FormStatus';
import { ProblemReport } from '../runs/ProblemReport';
import { useRunsStore } from '../runs-store';
import { dropFolderApi } from './api';
import { useDropFolderStore } from './drop-folder-store';
import './dropfolder.css';

/**
 * Watched drop folders (issue 5 item 5): the configured folders with the files each has
 * imported or refused, live arrival notices, and the form to watch a new folder.
 */
export function DropFolderPanel() {
  const { t } = useTranslation();
  const folders = useDropFolderStore((s) => s.folders);
  const activity = useDropFolderStore((s) => s.activity);
  const canConfigure = useAuthStore((s) => s.session?.roles.some((r) => r === 'algo_engineer' || r === 'algo_admin') ?? false);

  useEffect(() => {
    const store = useDropFolderStore.getState();
    void store.load();
    const off = dropFolderApi.onFile((e) => useDropFolderStore.getState().arrived(e));
    return () => {
      off();
      useDropFolderStore.getState().reset();
    };
  }, []);

  return (
    <div className="split" data-testid="results-dropfolder">
      <div className="split-main panel-fill">
        <p className="muted">{t(canConfigure ? 'dropFolder.intro' : 'dropFolder.introReader')}</p>
        {activity.length > 0 && (
          <ul className="dropfolder-list" role="status" aria-live="polite" data-testid="dropfolder-activity">
            {activity.map((e, i) => (
              <li key={i} data-stage={e.stage}>
                {t(`dropFolder.activity.${e.stage}`, { file: e.fileName, message: e.message ?? '' })}
              </li>
            ))}
          </ul>
        )}
        {folders === null ? (
          <p className="muted">{t('results.loading')}</p>
        ) : folders.length === 0 ? (
          <p className="muted" data-testid="dropfolder-none">
            {t('dropFolder.none')}
          </p>
        ) : (
          folders.map((f) => <FolderCard key={f.id} folder={f} canConfigure={canConfigure} />)
        )}
      </div>
      {canConfigure && (
        <aside className="split-side">
          <CreateFolderForm />
        </aside>
      )}
    </div>
  );
}

function FolderCard({ folder, canConfigure }: { folder: DropFolderView; canConfigure: boolean }) {
  const { t } = useTranslation();
  const action = useFormAction();
  const disable = () => void action.run(() => useDropFolderStore.getState().disable(folder.id), t('dropFolder.disabled', { path: folder.path }));
  return (
    <section className="card dropfolder-card" data-testid="dropfolder-card" data-folder-id={folder.id} aria-label={folder.path}>
      <div className="toolbar">
        <strong className="mono" data-testid="dropfolder-path">
          {folder.path}
        </strong>
        <span className="dropfolder-state" data-testid="dropfolder-state" data-state={folder.state}>
          {t(`dropFolder.states.${folder.state}`)}
        </span>
        {canConfigure && (
          <button type="button" className="btn" data-testid="dropfolder-disable" disabled={action.busy} onClick={disable}>
            {t('dropFolder.disable')}
          </button>
        )}
      </div>
      <p className="muted">
        {t('dropFolder.run')}: {folder.runName} — {t('dropFolder.mode')} {t(`dropFolder.modes.${folder.mode}`)}
      </p>
      <FormStatus error={action.error} done={action.done} testId="dropfolder-disable" onDismiss={action.clear} />
      <h4>{t('dropFolder.files')}</h4>
      {folder.files.length === 0 ? (
        <p className="muted">{t('dropFolder.noFiles')}</p>
      ) : (
        <ul className="dropfolder-list" data-testid="dropfolder-files">
          {folder.files.map((file) => (
            <FileRow key={file.id} file={file} />
          ))}
        </ul>
      )}
    </section>
  );
}

function FileRow({ file }: { file: DropFileView }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const showRun = (runId: number) => {
    const runs = useRunsStore.getState();
    runs.setTab('runs');
    void runs.load();
    void runs.select(runId);
  };
  return (
    <li data-testid="dropfolder-file" data-outcome={file.outcome} data-file={file.fileName}>
      <span className="mono">{file.fileName}</span> · <strong>{t(`dropFolder.outcome.${file.outcome}`)}</strong> ·{' '}
      {t('dropFolder.rows', { accepted: file.report.rowsAccepted, total: file.report.rowsTotal })} · <span className="muted">{formatDateTime(file.processedAt, i18n.language)}</span>
      {file.report.problems.length > 0 && (
        <button type="button" className="btn btn-ghost" aria-expanded={open} data-testid="dropfolder-file-report" onClick={() => setOpen(!open)}>
          {t('dropFolder.showReport', { count: file.report.problems.length })}
        </button>
      )}
      {file.runId !== null && (
        <button type="button" className="btn btn-ghost" data-testid="dropfolder-open-run" onClick={() => showRun(file.runId as number)}>
          {t('dropFolder.openRun')}
        </button>
      )}
      {open && <ProblemReport report={file.report} />}
    </li>
  );
}

function CreateFolderForm() {
  const { t } = useTranslation();
  const runs = useDropFolderStore((s) => s.runs);
  const [folderPath, setFolderPath] = useState('');
  const [runId, setRunId] = useState('');
  const [mode, setMode] = useState<'into_run' | 'new_run'>('into_run');
  const [acceptPartial, setAcceptPartial] = useState(false);
  const action = useFormAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (action.busy) return;
    const path = folderPath.trim();
    const ok = await action.run(() => useDropFolderStore.getState().create({ path, runId: Number(runId), mode, acceptPartial }), t('dropFolder.created', { path }));
    if (ok) setFolderPath('');
  };

  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="dropfolder-form">
      <h3>{t('dropFolder.createTitle')}</h3>
      <label className="field">
        <span>{t('dropFolder.path')}</span>
        <input className="mono" required spellCheck={false} data-testid="dropfolder-path-input" value={folderPath} onChange={(e) => setFolderPath(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('dropFolder.run')}</span>
        <select required data-testid="dropfolder-run" value={runId} onChange={(e) => setRunId(e.target.value)}>
          <option value="" />
          {(runs ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.modelName}, {r.datasetName} v{r.datasetVersion})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('dropFolder.mode')}</span>
        <select data-testid="dropfolder-mode" value={mode} onChange={(e) => setMode(e.target.value === 'new_run' ? 'new_run' : 'into_run')}>
          <option value="into_run">{t('dropFolder.modes.into_run')}</option>
          <option value="new_run">{t('dropFolder.modes.new_run')}</option>
        </select>
      </label>
      <label className="check">
        <input type="checkbox" data-testid="dropfolder-accept-partial" checked={acceptPartial} onChange={(e) => setAcceptPartial(e.target.checked)} />
        <span>{t('dropFolder.acceptPartial')}</span>
      </label>
      <FormStatus error={action.error} done={action.done} testId="dropfolder-create" onDismiss={action.clear} />
      <button type="submit" className="btn btn-primary" data-testid="dropfolder-submit" disabled={action.busy}>
        {action.busy ? t('common.saving') : t('dropFolder.create')}
      </button>
    </form>
  );
}
