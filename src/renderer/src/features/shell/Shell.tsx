import type { SessionInfo } from '../../../../shared/contract';
import { runCommand } from './commands';
import { Header } from './Header';
import { ModuleView } from './ModuleView';
import { visibleModules } from './modules';
import { NavBar } from './NavBar';
import { useShellStore } from './shell-store';

/** The logged-in frame: header, the modules this person's roles allow, the chosen module. */
export function Shell({ session }: { session: SessionInfo }) {
  const chosen = useShellStore((s) => s.current);
  const modules = visibleModules(session.roles);
  // A module the person cannot see (roles changed, another person logged in) falls back to the first.
  const current = modules.find((m) => m.id === chosen)?.id ?? modules[0]?.id ?? null;
  return (
    <div className="app-frame" data-testid="shell">
      <Header session={session} />
      <div className="app-body">
        <NavBar modules={modules} current={current} onNavigate={(id) => runCommand(`navigate.${id}`)} />
        <main className="app-main" data-testid="main">
          {current && <ModuleView key={current} id={current} />}
        </main>
      </div>
    </div>
  );
}
