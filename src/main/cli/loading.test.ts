/**
 * What each `midc` command loads. The built CLI is spawned with a `--require` hook that writes
 * the files in require.cache when the process exits; the source modules inside a loaded chunk
 * are read off the `// src/...` markers of the (unminified) main-process build. `midc --help`
 * loads no command, and `midc metrics` loads neither the database layer, the IPC registry, the
 * app nor any package (better-sqlite3, zod); `midc init` shows that the same check sees them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { built, DICOM_FIXTURES, OUT_MAIN } from '../../../test/helpers/built';
import { tempDir } from '../../../test/helpers/workspace';
import { commands } from './commands';
import { eagerCommands } from './commands/eager';

const METRICS_FIXTURES = path.resolve(__dirname, '../../../test/fixtures/metrics');
const fixture = (name: string) => path.join(METRICS_FIXTURES, name);

const tmp = tempDir('midc-cli-loading-');
afterAll(() => tmp.cleanup());

const HOOK = path.join(tmp.dir, 'record-modules.cjs');
fs.writeFileSync(
  HOOK,
  "'use strict';\nprocess.on('exit', () => require('node:fs').writeFileSync(process.env.MIDC_LOADED_MODULES, JSON.stringify(Object.keys(require.cache))));\n",
);

interface Loaded {
  code: number | null;
  stdout: string;
  /** Files outside out/main (packages, native addons), as absolute paths. */
  packages: string[];
  /** Source modules (`src/...`) bundled in the out/main files the process loaded. */
  sources: Set<string>;
}

let runs = 0;
function midc(...args: string[]): Loaded {
  const record = path.join(tmp.dir, `loaded-${++runs}.json`);
  const env = { ...process.env, MIDC_LOADED_MODULES: record, MIDC_WORKSPACE: path.join(tmp.dir, 'no-workspace') };
  const child = spawnSync(process.execPath, ['--require', HOOK, built('cli.js'), ...args], { env, encoding: 'utf8' });
  const files = JSON.parse(fs.readFileSync(record, 'utf8')) as string[];
  const ours = files.filter((f) => f.startsWith(OUT_MAIN + path.sep));
  const sources = new Set(ours.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/^\/\/ (src\/\S+\.tsx?)$/gm)].map((m) => m[1] as string)));
  return { code: child.status, stdout: child.stdout, packages: files.filter((f) => f !== HOOK && !ours.includes(f)), sources };
}

/** The modules `midc metrics` and `midc --help` must never load (the store's code loads node:crypto: ~5 ms). */
const isHeavy = (source: string) => /^src\/main\/(db|ipc|auth|ingest|backup|storage)\/|^src\/main\/app(-services)?\.ts$|^src\/main\/workspace\/prepare\.ts$|^src\/shared\/contract\//.test(source);

describe('midc loads only the code of the command it runs', () => {
  it('midc --help loads no command implementation and no package', () => {
    const run = midc('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('metrics');
    expect(run.sources).toContain('src/main/cli/dispatch.ts');
    expect([...run.sources].filter((s) => s.startsWith('src/main/cli/commands/') && s !== 'src/main/cli/commands/index.ts' && s !== 'src/main/cli/commands/info.ts')).toEqual([]);
    expect([...run.sources].filter(isHeavy)).toEqual([]);
    expect(run.packages).toEqual([]);
  });

  it('midc metrics (classification and detection) loads neither the database layer, the app, better-sqlite3 nor zod', () => {
    for (const [gt, pred] of [
      ['cls-gt.csv', 'cls-pred.csv'],
      ['det-gt.csv', 'det-pred.csv'],
    ] as const) {
      const run = midc('metrics', '--gt', fixture(gt), '--pred', fixture(pred), '--json');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).classes.length).toBeGreaterThan(0);
      expect(run.sources).toContain('src/main/cli/commands/metrics.ts');
      expect([...run.sources].filter(isHeavy)).toEqual([]);
      expect(run.packages).toEqual([]);
    }
  });

  it('midc metrics --quant loads zod for the matrix, still not the database layer', () => {
    const run = midc('metrics', '--gt', fixture('pedestrian-gt.csv'), '--pred', fixture('pedestrian-pred.csv'), '--quant', fixture('pedestrian.json'), '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).quant.name).toBe('pedestrian-braking');
    expect(run.packages.some((f) => f.includes(`${path.sep}zod${path.sep}`))).toBe(true);
    expect(run.packages.filter((f) => f.includes('better-sqlite3') || f.includes('better_sqlite3'))).toEqual([]);
    expect([...run.sources].filter(isHeavy)).toEqual([]);
  });

  it('midc import opens the database but loads neither the app, the IPC registry, the contract nor zod', () => {
    const ws = path.join(tmp.dir, 'import-ws');
    expect(midc('init', '--workspace', ws, '--json').code).toBe(0);
    const run = midc('import', path.join(DICOM_FIXTURES, 'CT_small.dcm'), '--defer-pixels', '--workspace', ws, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).imported).toBe(1);
    expect(run.sources).toContain('src/main/ingest/ingest-service.ts');
    expect([...run.sources].filter((s) => /^src\/main\/(app|app-services)\.ts$|^src\/main\/ipc\/|^src\/shared\/contract\//.test(s))).toEqual([]);
    expect(run.packages.filter((f) => f.includes(`${path.sep}zod${path.sep}`))).toEqual([]);
  });

  it('the same check sees the database layer, the IPC registry and better-sqlite3 where a command needs them (midc init)', () => {
    const run = midc('init', '--workspace', path.join(tmp.dir, 'ws'), '--json');
    expect(run.code).toBe(0);
    expect(run.sources).toContain('src/main/app.ts');
    expect(run.sources).toContain('src/main/ipc/registry.ts');
    expect([...run.sources].some((s) => s.startsWith('src/main/db/'))).toBe(true);
    expect(run.packages.some((f) => f.includes(`${path.sep}better-sqlite3${path.sep}`))).toBe(true);
  });
});

describe('midc backup run loads only the backup itself', () => {
  it('no zod, no IPC contract, no settings/scheduler/service/restore code: its start-up is part of every backup (bench "backup")', () => {
    const ws = path.join(tmp.dir, 'backup-ws');
    const dest = path.join(tmp.dir, 'backup-dest');
    fs.mkdirSync(dest);
    expect(midc('init', '--workspace', ws, '--json').code).toBe(0);
    const run = midc('backup', 'run', '--to', dest, '--workspace', ws, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).files).toBe(1);
    expect(run.sources).toContain('src/main/backup/backup.ts');
    expect(run.sources).toContain('src/main/backup/manifest.ts');
    expect(run.packages.filter((f) => f.includes(`${path.sep}zod${path.sep}`))).toEqual([]);
    expect(run.packages.some((f) => f.includes(`${path.sep}better-sqlite3${path.sep}`))).toBe(true);
    expect(
      [...run.sources].filter((s) => /^src\/shared\/contract\/|^src\/main\/(ipc|db\/migrations)\/|^src\/main\/app(-services)?\.ts$|^src\/main\/backup\/(backup-service|backup-settings|scheduler|restore|retention|policy|verify-backup)\.ts$/.test(s)),
    ).toEqual([]);

    // An unchanged incremental: the snapshot's checks are taken over, so the audit-chain code
    // is not loaded; sizes are printed without the storage-roots code. better-sqlite3's
    // JavaScript is bundled into our chunks: of the package, only its native addon is loaded.
    const again = midc('backup', 'run', '--to', dest, '--workspace', ws, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).files).toBe(1);
    expect([...again.sources].filter((s) => /^src\/main\/(audit\/audit-log|storage\/roots)\.ts$/.test(s))).toEqual([]);
    expect(again.packages.map((f) => path.basename(f))).toEqual(['better_sqlite3.node']);
  });
});

describe('the two command tables', () => {
  it('the lazy table of the built midc and the eager one of runCli list the same commands, each loading its implementation', async () => {
    const info = (list: typeof commands) => list.map(({ name, summary, usage }) => ({ name, summary, usage }));
    expect(info(commands)).toEqual(info(eagerCommands));
    for (const entry of commands) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary, usage: command.usage }).toEqual({ name: entry.name, summary: entry.summary, usage: entry.usage });
      expect(typeof command.run).toBe('function');
    }
  });
});
