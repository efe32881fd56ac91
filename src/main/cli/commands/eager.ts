import { readQuantMatrixFile } from '../../evaluation/read-quant';
import type { Command } from '../command';
import { backupCommand } from './backup';
import { importCommand } from './import';
import type { CommandEntry } from './index';
import { initCommand } from './init';
import { metricsCommandWith } from './metrics';
import { restoreCommand } from './restore';
import { verifyCommand } from './verify';

const eager = (command: Command): CommandEntry => ({ name: command.name, summary: command.summary, usage: command.usage, load: async () => command });

/** The same table as commands/index.ts with every command already imported (see run.ts). */
export const eagerCommands: readonly CommandEntry[] = [
  initCommand,
  importCommand,
  verifyCommand,
  // No dynamic import() here either: the matrix reader is imported up front.
  metricsCommandWith(async () => readQuantMatrixFile),
  backupCommand,
  restoreCommand,
].map(eager);
