import { useTranslation } from 'react-i18next';
import { NotAvailable } from '../../ui/NotAvailable';
import { AdminModule } from '../admin/AdminModule';
import { BackupModule } from '../backup/BackupModule';
import { DataModule } from '../data/DataModule';
import { DatasetsModule } from '../datasets/DatasetsModule';
import { InboxModule } from '../inbox/InboxModule';
import { QuantModule } from '../quant/QuantModule';
import { ResultsModule } from '../results/ResultsModule';
import { WorkspaceModule } from '../workspace/WorkspaceModule';
import { descriptionKey, titleKey, type ModuleId } from './modules';

/** Which screen a module shows. Modules not built yet say so (no made-up data). */
export function ModuleView({ id }: { id: ModuleId }) {
  const { t } = useTranslation();
  switch (id) {
    case 'admin':
      return <AdminModule />;
    case 'backup':
      return <BackupModule />;
    case 'data':
      return <DataModule />;
    case 'datasets':
      return <DatasetsModule />;
    case 'inbox':
      return <InboxModule />;
    case 'workspace':
      return <WorkspaceModule />;
    case 'results':
      return <ResultsModule />;
    case 'quant':
      return <QuantModule />;
    default:
      return <NotAvailable title={t(titleKey(id))} description={t(descriptionKey(id))} testId={`module-${id}`} />;
  }
}
