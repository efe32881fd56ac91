import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { findCommand, shortcutLabel } from './commands';
import { useCommandContext } from './useCommands';

interface Props {
  readonly commandId: string;
  readonly className?: string;
  readonly testId?: string;
  /** Shown instead of the command's label (the label stays as the tooltip). */
  readonly children?: ReactNode;
  readonly pressed?: boolean;
}

/** A button that runs a registered command; disabled when the command is not enabled. */
export function CommandButton({ commandId, className = 'btn', testId, children, pressed }: Props) {
  const { t } = useTranslation();
  const ctx = useCommandContext();
  const command = findCommand(commandId);
  if (!command) return null;
  const params = Object.fromEntries(Object.entries(command.labelParams ?? {}).map(([k, key]) => [k, t(key)]));
  const label = t(command.labelKey, params);
  const keys = shortcutLabel(command.shortcut);
  return (
    <button
      type="button"
      className={className}
      data-testid={testId}
      title={keys ? `${label} (${keys})` : label}
      aria-label={children ? label : undefined}
      aria-pressed={pressed}
      disabled={!command.enabled(ctx) && !pressed}
      onClick={() => command.enabled(ctx) && command.perform(ctx)}
    >
      {children ?? label}
    </button>
  );
}
