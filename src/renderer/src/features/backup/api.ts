import type { BackupConfigInput, BackupProgressView } from '../../../../shared/contract';
import { settle } from '../../core/result';

/** The only module of the backup feature that touches window.api (HOUSE-STYLE 15). */
export const backupApi = {
  config: () => settle(() => window.api.backup.config({})),
  setConfig: (config: BackupConfigInput) => settle(() => window.api.backup.setConfig({ config })),
  runNow: (destination: string) => settle(() => window.api.backup.runNow({ destination })),
  cancel: () => settle(() => window.api.backup.cancel({})),
  status: () => settle(() => window.api.backup.status({})),
  list: (destination: string) => settle(() => window.api.backup.list({ destination })),
  verify: (path: string) => settle(() => window.api.backup.verify({ path })),
  health: () => settle(() => window.api.backup.health({})),
  restoreDrill: () => settle(() => window.api.backup.restoreDrill({})),
  checkIntegrity: () => settle(() => window.api.backup.checkIntegrity({})),
  onProgress: (listener: (p: BackupProgressView) => void) => window.api.events.onBackupProgress(listener),
};
