import { useTranslation } from 'react-i18next';
import { shortcutText, type CommandGroup, type WsCommand } from './commands';

const GROUPS: CommandGroup[] = ['tools', 'view', 'classes', 'marks', 'navigate', 'help'];

/** Every shortcut of the command table ('?'): generated, so it can never disagree with the keys. */
export function HelpOverlay({ commands, onClose }: { commands: readonly WsCommand[]; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <div className="ws-help-backdrop" role="dialog" aria-modal="true" aria-label={t('workspace.help.title')} data-testid="help-overlay" onClick={onClose}>
      <div className="ws-help card" onClick={(e) => e.stopPropagation()}>
        <div className="ws-help-head">
          <h3>{t('workspace.help.title')}</h3>
          <button type="button" className="btn" onClick={onClose}>
            {t('workspace.help.close')}
          </button>
        </div>
        <div className="ws-help-groups">
          {GROUPS.map((group) => {
            const rows = commands.filter((c) => c.group === group);
            if (rows.length === 0) return null;
            return (
              <section key={group}>
                <h4>{t(`workspace.help.groups.${group}`)}</h4>
                <table>
                  <tbody>
                    {rows.map((c) => (
                      <tr key={c.id} data-testid={`help-${c.id}`}>
                        <td>{t(c.labelKey, c.labelValues)}</td>
                        <td>
                          {c.shortcuts.map((s) => (
                            <kbd key={shortcutText(s)}>{shortcutText(s)}</kbd>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            );
          })}
        </div>
        <p className="muted">{t('workspace.help.mouse')}</p>
      </div>
    </div>
  );
}
