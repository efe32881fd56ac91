import type { Command, CommandInfo } from '../command';
import { backupInfo, importInfo, initInfo, metricsInfo, restoreInfo, verifyInfo } from './info';

/**
 * A `midc` command as the table knows it: name, summary and usage up front, the code loaded
 * only when the command runs. `midc metrics` thus never loads the database layer or the app,
 * and `midc --help` loads none of the commands.
 */
export interface CommandEntry extends CommandInfo {
  load(): Promise<Command>;
}

/** Every `midc` command; each lives in its own module. */
export const commands: readonly CommandEntry[] = [
  { ...initInfo, load: async () => (await import('./init')).initCommand },
  { ...importInfo, load: async () => (await import('./import')).importCommand },
  { ...verifyInfo, load: async () => (await import('./verify')).verifyCommand },
  { ...metricsInfo, load: async () => (await import('./metrics')).metricsCommand },
  { ...backupInfo, load: async () => (await import('./backup')).backupCommand },
  { ...restoreInfo, load: async () => (await import('./restore')).restoreCommand },
];
