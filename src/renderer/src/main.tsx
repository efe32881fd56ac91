// First: configures zod before the contract's schemas are built (see the file).
import '../../shared/zod-jitless';
import { AllCommunityModule, ModuleRegistry } from 'ag-grid-community';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n } from './i18n';
import { reportCspViolations } from './security/report-violations';
import './styles.css';

// Order matters: the CSP reporter first so that anything blocked during start-up is recorded;
// i18n before the first render; ag-grid's modules once, before any grid mounts (STACK-NOTES §5).
reportCspViolations();
initI18n();
ModuleRegistry.registerModules([AllCommunityModule]);

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
