import { useAuthStore } from '../auth/auth-store';
import { useShellStore } from '../shell/shell-store';
import { AnnotationView } from './AnnotationView';
import { NoticeBar, WorkspaceHome } from './WorkspaceHome';
import { useWorkspaceStore } from './workspace-store';
import './workspace.css';

/** The Cornerstone annotation workspace (DESIGN §2.2, issue 4 items 4, 5, 7). */
export function WorkspaceModule() {
  const session = useWorkspaceStore((s) => s.session);
  const roles = useAuthStore((s) => s.session?.roles ?? []);
  return (
    <section className="module workspace-module" data-testid="module-workspace">
      <NoticeBar />
      {session ? <AnnotationView /> : <WorkspaceHome roles={roles} onGoToInbox={() => useShellStore.getState().navigate('inbox')} />}
    </section>
  );
}
