import { useTranslation } from 'react-i18next';
import { NotAvailable } from '../../ui/NotAvailable';
import { AdminModule } from '../admin/AdminModule';
import { descriptionKey, titleKey, type ModuleId } from './modules';

/** Which screen a module shows. Modules not built yet say so (no made-up data). */
export function ModuleView({ id }: { id: ModuleId }) {
  const { t } = useTranslation();
  switch (id) {
    case 'admin':
      return <AdminModule />;
    default:
      return <NotAvailable title={t(titleKey(id))} description={t(descriptionKey(id))} testId={`module-${id}`} />;
  }
}
