import type { Command } from '../command';
import { initCommand } from './init';
import { verifyCommand } from './verify';

/** Every `midc` command; each lives in its own module. */
export const commands: readonly Command[] = [initCommand, verifyCommand];
