'use strict';
// Bundles bench/lib/host-entry.ts (the app's own modules: createApp and its IPC dispatch, the
// Chromium host, the repositories and snapshot code) to CommonJS with Vite's build API, so the
// benchmarks' Node children call the real code. Dependencies in node_modules stay external
// (better-sqlite3 is native; playwright-core is the host's browser driver).

const path = require('node:path');
const { builtinModules } = require('node:module');
const { dataDir } = require('./data');
const { ROOT } = require('./machine');

const ENTRY = path.join(__dirname, 'host-entry.ts');
let built = null;

/** Builds once per benchmark process; resolves the bundle's path. */
async function hostBundle() {
  if (built) return built;
  const outDir = dataDir('host-bundle');
  const { build } = await import('vite');
  const pkg = require(path.join(ROOT, 'package.json'));
  const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })];
  await build({
    configFile: false,
    logLevel: 'silent',
    define: { __MIDC_VERSION__: JSON.stringify(pkg.version) },
    build: {
      ssr: ENTRY,
      outDir,
      emptyOutDir: true,
      minify: false,
      rolldownOptions: {
        external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
        output: { format: 'cjs', entryFileNames: 'host.cjs' },
      },
    },
  });
  built = path.join(outDir, 'host.cjs');
  return built;
}

module.exports = { hostBundle };
