import { useTranslation } from 'react-i18next';
import { BatchesPanel } from './BatchesPanel';
import { DataBrowser } from './DataBrowser';
import { DATA_TABS, useDataUiStore, type DataTab } from './data-ui-store';
import { DuplicatesPanel } from './DuplicatesPanel';
import { ImportWizard } from './ImportWizard';
import { clearOnSessionChange } from './session-reset';
import './data.css';

// Installed when the module is first loaded (the shell imports it at start), before anyone logs in.
clearOnSessionChange();

const PANELS: Record<DataTab, () => React.JSX.Element> = {
  browser: DataBrowser,
  import: ImportWizard,
  batches: BatchesPanel,
  duplicates: DuplicatesPanel,
};

/** Data & import for ops (DESIGN §2.1): import, batch reports, the data browser, near-duplicates. */
export function DataModule() {
  const { t } = useTranslation();
  const tab = useDataUiStore((s) => s.tab);
  const setTab = useDataUiStore((s) => s.setTab);
  const Panel = PANELS[tab];
  return (
    <section className="module" data-testid="module-data">
      <div className="tabs" role="tablist">
        {DATA_TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`tab${tab === id ? ' active' : ''}`}
            data-testid={`data-tab-${id}`}
            onClick={() => setTab(id)}
          >
            {t(`data.tabs.${id}`)}
          </button>
        ))}
      </div>
      <div className="tab-panel">
        <Panel />
      </div>
    </section>
  );
}
