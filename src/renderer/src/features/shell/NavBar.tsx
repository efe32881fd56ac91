import { useTranslation } from 'react-i18next';
import { shortcutLabel, findCommand } from './commands';
import { titleKey, type ModuleDef, type ModuleId } from './modules';

interface Props {
  readonly modules: readonly ModuleDef[];
  readonly current: ModuleId | null;
  readonly onNavigate: (id: ModuleId) => void;
}

export function NavBar({ modules, current, onNavigate }: Props) {
  const { t } = useTranslation();
  return (
    <nav className="app-nav" aria-label={t('nav.label')} data-testid="nav">
      {modules.length === 0 && <p className="muted nav-empty">{t('nav.empty')}</p>}
      <ul>
        {modules.map((m) => {
          const keys = shortcutLabel(findCommand(`navigate.${m.id}`)?.shortcut);
          return (
            <li key={m.id}>
              <button
                type="button"
                className={`nav-item${m.id === current ? ' active' : ''}`}
                aria-current={m.id === current ? 'page' : undefined}
                data-testid={`nav-${m.id}`}
                title={keys ? `${t(titleKey(m.id))} (${keys})` : undefined}
                onClick={() => onNavigate(m.id)}
              >
                <span className={`nav-icon nav-icon-${m.id}`} aria-hidden="true" />
                {t(titleKey(m.id))}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
