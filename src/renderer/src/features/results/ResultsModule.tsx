import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuthStore } from '../auth/auth-store';
import { ComparePanel } from './compare/ComparePanel';
import { useCompareStore } from './compare-store';
import { DrillLayer } from './drill/DrillLayer';
import { DropFolderPanel } from './dropfolder/DropFolderPanel';
import { GroundTruthPanel } from './groundtruth/GroundTruthPanel';
import { useDrillStore } from './drill-store';
import { PlansPanel } from './plans/PlansPanel';
import { usePlansStore } from './plans-store';
import { RegistriesPanel } from './registries/RegistriesPanel';
import { RunnersPanel } from './runner/RunnersPanel';
import { seesPlans } from './runner-rules';
import { useRunnerStore } from './runner-store';
import { RESULT_TABS, useRunsStore, type ResultTab } from './runs-store';
import { RunsPanel } from './runs/RunsPanel';
import './results.css';

const PANELS: Record<ResultTab, () => React.JSX.Element> = {
  runs: RunsPanel,
  compare: ComparePanel,
  plans: PlansPanel,
  runners: RunnersPanel,
  groundtruth: GroundTruthPanel,
  dropfolder: DropFolderPanel,
  registries: RegistriesPanel,
};

/** Test runs, comparison and drill-down (DESIGN §3), and the registries they rest on (§2.3–2.4). */
export function ResultsModule() {
  const { t } = useTranslation();
  const tab = useRunsStore((s) => s.tab);
  const planReader = useAuthStore((s) => seesPlans(s.session?.roles));
  const tabs = RESULT_TABS.filter((id) => planReader || !['plans', 'runners', 'groundtruth', 'dropfolder'].includes(id));
  const Panel = PANELS[tabs.includes(tab) ? tab : 'runs'];
  // Nothing of this person's work outlives the module (another person may log in next).
  useEffect(
    () => () => {
      useDrillStore.getState().close();
      useDrillStore.setState({ outcomes: {}, outcomesKey: '', datasets: null, datasetImages: {} });
      useRunsStore.getState().reset();
      useCompareStore.getState().reset();
      usePlansStore.getState().reset();
      useRunnerStore.getState().reset();
    },
    [],
  );
  return (
    <section className="module results-module" data-testid="module-results">
      <div className="tabs" role="tablist">
        {tabs.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`tab${tab === id ? ' active' : ''}`}
            data-testid={`results-tab-${id}`}
            onClick={() => useRunsStore.getState().setTab(id)}
          >
            {t(id === 'dropfolder' ? 'dropFolder.tab' : id === 'groundtruth' ? 'groundTruthImport.tab' : `results.tabs.${id}`)}
          </button>
        ))}
      </div>
      <div className="tab-panel">
        <Panel />
      </div>
      <DrillLayer />
    </section>
  );
}
