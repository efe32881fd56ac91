import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorData } from '../../../../shared/errors';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { NO_FILTER, useBrowserStore } from './browser-store';
import { useDataUiStore } from './data-ui-store';
import { useImportStore } from './import-store';
import { BatchReport } from './BatchReport';
import { ImportProgress } from './ImportProgress';
import { parsePaths, tagsFromRows, type TagRow } from './tags';
import { TagRowsEditor } from './TagRowsEditor';

/** Choose paths and tags, start, watch the counts, cancel, read the report (DESIGN §2.1). */
export function ImportWizard() {
  const { t } = useTranslation();
  const phase = useImportStore((s) => s.phase);
  const progress = useImportStore((s) => s.progress);
  const report = useImportStore((s) => s.report);
  const error = useImportStore((s) => s.error);
  const batch = useImportStore((s) => s.batch);
  const cancelling = useImportStore((s) => s.cancelling);
  const tagKeys = useBrowserStore((s) => s.tagKeys);

  useEffect(() => {
    void useBrowserStore.getState().loadTagKeys();
  }, []);

  if (phase === 'running') {
    return (
      <section className="card import-wizard" data-testid="import-running">
        <h3>{t('data.import.running')}</h3>
        <ImportProgress progress={progress} />
        <div className="button-row">
          <button
            type="button"
            className="btn btn-danger"
            data-testid="import-cancel"
            disabled={batch === null || cancelling}
            onClick={() => void useImportStore.getState().cancel()}
          >
            {cancelling ? t('data.import.cancelling') : t('data.import.cancel')}
          </button>
        </div>
      </section>
    );
  }

  if (phase === 'done' && report) {
    const showInBrowser = () => {
      void useBrowserStore.getState().apply({ ...NO_FILTER, batchId: String(report.batch) });
      useDataUiStore.getState().setTab('browser');
    };
    return (
      <section className="panel-fill import-wizard" data-testid="import-finished">
        <div className="card">
          <ImportProgress progress={progress} />
          <p className={`notice ${report.cancelled ? 'notice-warn' : 'notice-ok'}`} data-testid="import-done" role="status">
            {t(report.cancelled ? 'data.import.cancelledSummary' : 'data.import.doneSummary', {
              batch: report.batch,
              imported: report.imported,
              duplicates: report.duplicates,
              quarantined: report.quarantined.length,
            })}
          </p>
          <div className="button-row">
            <button type="button" className="btn btn-primary" data-testid="import-new" onClick={() => useImportStore.getState().reset()}>
              {t('data.import.newImport')}
            </button>
            <button type="button" className="btn" data-testid="import-show-browser" onClick={showInBrowser}>
              {t('data.import.showInBrowser')}
            </button>
          </div>
        </div>
        <BatchReport items={report.items} testId="import-report" />
      </section>
    );
  }

  return <ImportForm tagKeys={tagKeys} error={phase === 'failed' ? error : null} />;
}

function ImportForm({ tagKeys, error }: { tagKeys: readonly string[]; error: ErrorData | null }) {
  const { t } = useTranslation();
  const draft = useImportStore((s) => s.draft);
  const { pathsText, tags, deidentify } = draft;
  const setDraft = useImportStore((s) => s.setDraft);
  const setPathsText = (text: string) => setDraft({ ...draft, pathsText: text });
  const setTags = (rows: TagRow[]) => setDraft({ ...draft, tags: rows });
  const setDeidentify = (on: boolean) => setDraft({ ...draft, deidentify: on });
  const [problem, setProblem] = useState<string | null>(null);
  const [shownError, setShownError] = useState(error);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const paths = parsePaths(pathsText);
    if (paths.length === 0) return setProblem(t('data.import.noPaths'));
    const relative = paths.filter((p) => !isAbsolute(p));
    if (relative.length) return setProblem(t('data.import.notAbsolute', { paths: relative.join(', ') }));
    const parsed = tagsFromRows(tags);
    if (!parsed.ok) return setProblem(t('data.badTagKeys', { keys: parsed.badKeys.join(', ') }));
    setProblem(null);
    setShownError(null);
    void useImportStore.getState().start(paths, parsed.tags, deidentify);
  };

  // A textarea takes Enter for new lines; Ctrl+Enter submits from there.
  const onPathsKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
  };

  return (
    <form className="form card import-wizard" onSubmit={submit} data-testid="import-form">
      <h3>{t('data.import.title')}</h3>
      <label className="field">
        <span>{t('data.import.paths')}</span>
        <textarea
          data-testid="import-paths"
          rows={4}
          spellCheck={false}
          placeholder={t('data.import.pathsPlaceholder')}
          value={pathsText}
          onChange={(e) => setPathsText(e.target.value)}
          onKeyDown={onPathsKey}
        />
        <small className="hint">{t('data.import.pathsHint')}</small>
      </label>
      <TagRowsEditor rows={tags} onChange={setTags} keys={tagKeys} testIdPrefix="import-tag" />
      <label className="check check-with-hint">
        <input
          type="checkbox"
          data-testid="import-deidentify"
          aria-describedby="import-deidentify-hint"
          checked={deidentify}
          onChange={(e) => setDeidentify(e.target.checked)}
        />
        {t('data.import.deidentify')}
        <small className="hint" id="import-deidentify-hint" data-testid="import-deidentify-note">
          {t('data.import.deidentifyHint')}
        </small>
      </label>
      {problem && (
        <p className="notice notice-warn" data-testid="import-problem" role="alert">
          {problem}
        </p>
      )}
      {shownError && <ErrorBanner error={shownError} testId="import-error" onDismiss={() => setShownError(null)} />}
      <button type="submit" className="btn btn-primary" data-testid="import-start">
        {t('data.import.start')}
      </button>
    </form>
  );
}

/** POSIX (/data) or Windows (C:\data, \\server\share) absolute paths. */
function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}
