import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuthStore } from '../../auth/auth-store';
import { useRegistriesStore } from '../registries-store';
import { ModelsSection } from './ModelsSection';
import { ParametersSection } from './ParametersSection';
import { PresetsSection } from './PresetsSection';
import { StandardsSection } from './StandardsSection';

const SECTIONS = ['models', 'parameters', 'standards', 'presets'] as const;
type Section = (typeof SECTIONS)[number];

const VIEWS: Record<Section, (p: { canEdit: boolean }) => React.JSX.Element> = {
  models: ModelsSection,
  parameters: ParametersSection,
  standards: StandardsSection,
  presets: PresetsSection,
};

/**
 * Models, algorithm parameters, test standards and presets (DESIGN §2.3–2.4). The algorithm
 * admin edits; everyone else who sees results reads. The renderer only hides the forms: main
 * checks every call, and the database refuses what the rules forbid.
 */
export function RegistriesPanel() {
  const { t } = useTranslation();
  const canEdit = useAuthStore((s) => s.session?.roles.includes('algo_admin') ?? false);
  const [section, setSection] = useState<Section>('models');
  const View = VIEWS[section];

  useEffect(() => {
    void useRegistriesStore.getState().loadAll();
  }, []);

  return (
    <section className="panel-fill" data-testid="registries">
      <div className="tabs subtabs" role="tablist">
        {SECTIONS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={section === id}
            className={`tab${section === id ? ' active' : ''}`}
            data-testid={`registries-tab-${id}`}
            onClick={() => setSection(id)}
          >
            {t(`results.registries.tabs.${id}`)}
          </button>
        ))}
        {!canEdit && <span className="muted registries-readonly">{t('results.registries.readOnly')}</span>}
      </div>
      <View canEdit={canEdit} />
    </section>
  );
}
