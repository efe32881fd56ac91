import { createRoot } from 'react-dom/client';
import { reportCspViolations } from './security/report-violations';

reportCspViolations();
const root = document.getElementById('root');
if (root) createRoot(root).render(<p>MIDC</p>);
