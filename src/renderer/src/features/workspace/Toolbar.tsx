import { useTranslation } from 'react-i18next';
import { useViewerStore } from '../viewer/viewer-store';
import { shortcutText, type WsCommand } from './commands';
import { useWorkspaceStore } from './workspace-store';
import { workspaceContext } from './useWorkspaceCommands';

/** Buttons for the tool and view commands; the same table as the keyboard. */
export function Toolbar({ commands }: { commands: readonly WsCommand[] }) {
  const { t } = useTranslation();
  const primary = useViewerStore((s) => s.primaryTool);
  // Re-render when anything the commands' `enabled` reads changes.
  useViewerStore((s) => s.status.state);
  useWorkspaceStore((s) => s.session);
  useWorkspaceStore((s) => s.history);
  useWorkspaceStore((s) => s.selectedMarkId);
  const ctx = workspaceContext();
  const button = (c: WsCommand) => {
    const label = t(c.labelKey, c.labelValues);
    const keys = c.shortcuts.map(shortcutText).join(', ');
    const active = c.id === `tool.${primary}`;
    return (
      <button
        key={c.id}
        type="button"
        className={`btn${active ? ' active' : ''}`}
        data-testid={c.id.replace('.', '-')}
        aria-pressed={c.group === 'tools' ? active : undefined}
        title={`${label} (${keys})`}
        disabled={!c.enabled(ctx)}
        onClick={() => c.enabled(workspaceContext()) && c.perform(workspaceContext())}
      >
        {label}
      </button>
    );
  };
  const of = (group: WsCommand['group']) => commands.filter((c) => c.group === group);
  return (
    <div className="viewer-toolbar" role="toolbar" data-testid="viewer-toolbar">
      {of('tools').map(button)}
      <span className="viewer-toolbar-sep" />
      {of('view').map(button)}
      <span className="viewer-toolbar-sep" />
      {of('marks').filter((c) => c.id !== 'marks.save').map(button)}
      <span className="viewer-toolbar-sep" />
      {of('navigate').map(button)}
    </div>
  );
}
