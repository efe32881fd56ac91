import type { Command } from '../command';
import { backupCommand } from './backup';
import { importCommand } from './import';
import { initCommand } from './init';
import { metricsCommand } from './metrics';
import { restoreCommand } from './restore';
import { verifyCommand } from './verify';

/** Every `midc` command; each lives in its own module. */
export const commands: readonly Command[] = [initCommand, importCommand, verifyCommand, metricsCommand, backupCommand, restoreCommand];
