import { createApp } from '../../app';
import { countUsers } from '../../auth/users-repository';
import { seedDemo, type DemoSummary } from '../../demo/demo';
import { workspaceExists, workspaceLayout } from '../../workspace/workspace';
import { EXIT, UsageError, emit, type Command } from '../command';
import { initInfo } from './info';

export const initCommand: Command = {
  ...initInfo,
  async run(args, options, io) {
    const demo = args.includes('--demo');
    const unknown = args.find((a) => a !== '--demo');
    if (unknown) throw new UsageError(`unexpected argument "${unknown}"`);
    const created = !workspaceExists(workspaceLayout(options.workspace));
    const app = createApp({ workspaceDir: options.workspace, host: 'cli', appOrigin: 'cli:' });
    try {
      if (demo && countUsers(app.services.db) > 0) {
        throw new UsageError(`the workspace ${options.workspace} already has users; --demo needs a new or empty workspace`);
      }
      const summary: DemoSummary | undefined = demo ? await seedDemo(app.services) : undefined;
      const schemaVersion = app.services.db.pragma('user_version', { simple: true }) as number;
      const result = { workspace: options.workspace, created, schemaVersion, ...(summary ? { demo: summary } : {}) };
      const human = [
        `${created ? 'Created' : 'Opened'} workspace ${options.workspace} (schema ${schemaVersion}).`,
        ...(summary
          ? [`Demo users (password "${summary.password}"):`, ...summary.users.map((u) => `  ${u.username.padEnd(10)} ${u.roles.join(', ')}`)]
          : []),
      ].join('\n');
      emit(io, options, result, human);
      return EXIT.OK;
    } finally {
      app.close();
    }
  },
};
