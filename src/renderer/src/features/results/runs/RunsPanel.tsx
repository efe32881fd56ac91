import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuthStore } from '../../auth/auth-store';
import { useCommandContext } from '../../shell/useCommands';
import { runResultsCommand } from '../commands';
import { useRunsStore } from '../runs-store';
import { ImportWizard } from './ImportWizard';
import { RunDetail } from './RunDetail';
import { RunsGrid } from './RunsGrid';

/** The runs list with status, the selected run's results, the import wizard. */
export function RunsPanel() {
  const { t } = useTranslation();
  const runs = useRunsStore((s) => s.runs);
  const picked = useRunsStore((s) => s.picked);
  const selectedId = useRunsStore((s) => s.selectedId);
  const run = useRunsStore((s) => s.run);
  const loadingRun = useRunsStore((s) => s.loadingRun);
  const importOpen = useRunsStore((s) => s.importOpen);
  const isEngineer = useAuthStore((s) => s.session?.roles.includes('algo_engineer') ?? false);

  useEffect(() => {
    void useRunsStore.getState().load();
  }, []);

  const ctx = useCommandContext();

  return (
    <section className="panel-fill" data-testid="results-runs">
      <div className="toolbar">
        <div className="button-row">
          {isEngineer && (
            <button type="button" className="btn btn-primary" data-testid="runs-new" onClick={() => runResultsCommand('results.newRun', ctx)}>
              {t('results.runs.newRun')}
            </button>
          )}
          <button type="button" className="btn" data-testid="runs-compare" disabled={picked.length < 2} onClick={() => runResultsCommand('results.compare', ctx)}>
            {t('results.runs.compare', { count: picked.length })}
          </button>
          <button type="button" className="btn" data-testid="runs-refresh" onClick={() => void useRunsStore.getState().load()}>
            {t('common.refresh')}
          </button>
        </div>
      </div>
      <RunsGrid
        runs={runs}
        selectedId={selectedId}
        picked={picked}
        onSelect={(id) => void useRunsStore.getState().select(id)}
        onPick={(ids) => useRunsStore.getState().pick(ids)}
      />
      {loadingRun && <p className="muted">{t('results.loading')}</p>}
      {run && <RunDetail key={run.id} run={run} canImport={isEngineer} onImport={() => useRunsStore.getState().openImport(true)} />}
      {!run && !loadingRun && <p className="muted card">{t('results.runs.selectHint')}</p>}
      {importOpen && <ImportWizard initialRunId={run?.status === 'awaiting_results' ? run.id : null} onClose={() => useRunsStore.getState().openImport(false)} />}
    </section>
  );
}
