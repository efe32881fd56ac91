import { useBackupStore } from './backup-store';

/**
 * The Backup module's user actions (HOUSE-STYLE 18): one table read by the module's buttons
 * (and testable without React). The context is a snapshot of the store at the moment of use.
 */
export interface BackupContext {
  readonly destination: string | null;
  readonly running: boolean;
  readonly cancelling: boolean;
  readonly selected: string | null;
  readonly verifying: boolean;
  readonly drilling: boolean;
  readonly hasDestinations: boolean;
  readonly checkingIntegrity: boolean;
}

export interface BackupActions {
  runNow(): void;
  cancel(): void;
  verify(): void;
  drill(): void;
  checkIntegrity(): void;
  refresh(): void;
}

export type BackupCommandId = 'backup.runNow' | 'backup.cancel' | 'backup.verify' | 'backup.drill' | 'backup.checkIntegrity' | 'backup.refresh';

export interface BackupCommand {
  readonly id: BackupCommandId;
  readonly labelKey: string;
  enabled(ctx: BackupContext): boolean;
  perform(actions: BackupActions): void;
}

export const BACKUP_COMMANDS: readonly BackupCommand[] = [
  {
    id: 'backup.runNow',
    labelKey: 'backup.run.runNow',
    // Main queues a second run behind the first; the UI keeps one run per window to follow.
    enabled: (ctx) => ctx.destination !== null && !ctx.running,
    perform: (a) => a.runNow(),
  },
  {
    id: 'backup.cancel',
    labelKey: 'backup.run.cancel',
    enabled: (ctx) => ctx.running && !ctx.cancelling,
    perform: (a) => a.cancel(),
  },
  {
    id: 'backup.verify',
    labelKey: 'backup.run.verify',
    enabled: (ctx) => ctx.selected !== null && !ctx.verifying,
    perform: (a) => a.verify(),
  },
  {
    id: 'backup.drill',
    labelKey: 'backup.run.drill',
    enabled: (ctx) => ctx.hasDestinations && !ctx.drilling,
    perform: (a) => a.drill(),
  },
  {
    id: 'backup.checkIntegrity',
    labelKey: 'backup.run.checkIntegrity',
    enabled: (ctx) => !ctx.checkingIntegrity,
    perform: (a) => a.checkIntegrity(),
  },
  {
    id: 'backup.refresh',
    labelKey: 'backup.run.refresh',
    enabled: () => true,
    perform: (a) => a.refresh(),
  },
];

export function backupCommand(id: BackupCommandId): BackupCommand {
  return BACKUP_COMMANDS.find((c) => c.id === id) as BackupCommand;
}

type StoreSnapshot = Pick<ReturnType<typeof useBackupStore.getState>, 'destination' | 'run' | 'selected' | 'verify' | 'drill' | 'config' | 'integrity'>;

export function contextOf(s: StoreSnapshot): BackupContext {
  return {
    destination: s.destination,
    running: s.run.phase === 'running',
    cancelling: s.run.cancelling,
    selected: s.selected,
    verifying: s.verify.busy,
    drilling: s.drill.busy,
    hasDestinations: (s.config?.config.destinations.length ?? 0) > 0,
    checkingIntegrity: s.integrity.busy,
  };
}

/** The effects: the store's actions. */
export const storeActions: BackupActions = {
  runNow: () => void useBackupStore.getState().runNow(),
  cancel: () => void useBackupStore.getState().cancel(),
  verify: () => void useBackupStore.getState().verifySelected(),
  drill: () => void useBackupStore.getState().restoreDrill(),
  checkIntegrity: () => void useBackupStore.getState().checkIntegrity(),
  refresh: () => void useBackupStore.getState().loadAll(),
};
