import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = path.resolve(__dirname, '../../..');
const config = require(path.join(root, 'electron-builder.config.cjs')) as Record<string, unknown> & {
  files: string[];
  electronFuses: Record<string, boolean>;
};
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('electron-builder configuration', () => {
  it('flips exactly the fuses of RELIABILITY §1.2 (target 3)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it("matches electron-builder's own schema (no misspelt keys are silently ignored)", async () => {
    // app-builder-lib's validator is what `electron-builder` runs before packaging.
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    const logger = { isEnabled: false, add() {} };
    await expect(validateConfiguration(config, logger)).resolves.toBeUndefined();
    // The check has teeth: a misspelt fuse is refused.
    await expect(validateConfiguration({ ...config, electronFuses: { runAsnode: false } }, logger)).rejects.toThrow(
      /Invalid configuration/,
    );
  });

  it('packs only the Electron entry, its chunks, our preload and the renderer', () => {
    expect(pkg.main).toBe('./out/main/index.js');
    expect(config.files).toEqual(
      expect.arrayContaining(['package.json', 'out/main/index.js', 'out/main/chunks/**', 'out/preload/index.js', 'out/renderer/**']),
    );
    const included = config.files.filter((f) => !f.startsWith('!'));
    expect(included.some((f) => /chromium|cli|test|bench|src/.test(f))).toBe(false);
    expect(config.files).toEqual(expect.arrayContaining(['!out/main/chromium-host*', '!**/node_modules/playwright-core/**']));
    expect(config.asarUnpack).toEqual(['**/node_modules/better-sqlite3/**']);
    expect(config.npmRebuild).toBe(true);
    expect(config.publish).toBeNull();
  });

  it('builds AppImage and deb for Linux and NSIS for Windows', () => {
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
    expect(config.productName).toBe('MIDC');
    expect(typeof config.appId).toBe('string');
  });

  it('ships on a supported Electron major (>= 45, target 2 / checklist 16)', () => {
    const version = pkg.devDependencies.electron ?? pkg.dependencies.electron ?? '';
    const major = Number(/(\d+)\./.exec(version)?.[1]);
    expect(major).toBeGreaterThanOrEqual(45);
    // Electron must not be a runtime dependency: electron-builder refuses that layout.
    expect(pkg.dependencies.electron).toBeUndefined();
  });

  // Only meaningful after `electron-vite build`; skipped on a clean checkout.
  const builtMain = path.join(root, 'out/main/index.js');
  it.skipIf(!fs.existsSync(builtMain) || fs.statSync(builtMain).size === 0)(
    'the built main bundle requires only what the package keeps (no playwright-core, no renderer-only deps)',
    () => {
      const excluded = config.files
        .map((f) => /^!\*\*\/node_modules\/(.+)\/\*\*$/.exec(f)?.[1])
        .filter((d): d is string => d !== undefined);
      const allowed = new Set(['electron', ...Object.keys(pkg.dependencies).filter((d) => !excluded.includes(d))]);
      const seen = new Set<string>();
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        // Every file main loads must be matched by the `files` patterns above.
        expect(path.relative(path.join(root, 'out/main'), file)).toMatch(/^(index\.js|ingest-worker\.js|backup-worker\.js|chunks\/[^/]+\.js)$/);
        const source = fs.readFileSync(file, 'utf8');
        for (const [, spec = ''] of source.matchAll(/require\(["']([^"']+)["']\)/g)) {
          if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
          else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) {
            const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
            expect(allowed, `${path.relative(root, file)} requires ${spec}`).toContain(name);
          }
        }
      };
      visit(builtMain);
      // The import and backup workers are started by path, not required: follow them too.
      for (const name of ['ingest-worker.js', 'backup-worker.js']) {
        const worker = path.join(root, 'out/main', name);
        if (fs.existsSync(worker)) visit(worker);
      }
    },
  );

  it.skipIf(!fs.existsSync(builtMain))('decides for every built main entry whether it ships', () => {
    const entries = fs.readdirSync(path.join(root, 'out/main')).filter((f) => f.endsWith('.js'));
    for (const entry of entries) {
      const shipped = config.files.includes(`out/main/${entry}`);
      const excluded = config.files.some((f) => f.startsWith('!out/main/') && entry.startsWith(f.slice('!out/main/'.length).replace(/\*$/, '')));
      expect(shipped !== excluded, `out/main/${entry} must be either listed or excluded in electron-builder.config.cjs`).toBe(true);
    }
  });
});
