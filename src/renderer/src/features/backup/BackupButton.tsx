import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useBackupStore } from './backup-store';
import { backupCommand, contextOf, storeActions, type BackupCommandId } from './commands';

interface Props {
  readonly id: BackupCommandId;
  readonly className?: string;
  readonly testId: string;
  /** Shown instead of the command's label (busy texts). */
  readonly children?: ReactNode;
}

/** A button that runs one of the module's commands; disabled while the command is not enabled. */
export function BackupButton({ id, className = 'btn', testId, children }: Props) {
  const { t } = useTranslation();
  const ctx = useBackupStore(useShallow(contextOf));
  const command = backupCommand(id);
  const enabled = command.enabled(ctx);
  return (
    <button type="button" className={className} data-testid={testId} disabled={!enabled} onClick={() => enabled && command.perform(storeActions)}>
      {children ?? t(command.labelKey)}
    </button>
  );
}
