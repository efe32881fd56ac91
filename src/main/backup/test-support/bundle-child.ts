import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';

/**
 * Bundles backup-child.ts into one CommonJS file in a temp folder, so tests can spawn it with
 * plain Node without depending on (or racing with) the app's own `out/` build. Native and
 * built-in modules stay external and resolve from this repository's node_modules.
 */
export async function bundleBackupChild(): Promise<{ file: string; env: NodeJS.ProcessEnv; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-backup-child-'));
  const file = path.join(dir, 'backup-child.cjs');
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: path.join(__dirname, 'backup-child.ts'),
      outDir: dir,
      emptyOutDir: false,
      minify: false,
      rolldownOptions: { output: { format: 'cjs', entryFileNames: 'backup-child.cjs' } },
    },
  });
  const repo = path.resolve(__dirname, '../../../..');
  return {
    file,
    env: { ...process.env, NODE_PATH: path.join(repo, 'node_modules') },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
