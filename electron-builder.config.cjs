// electron-builder 26 configuration for the installable MIDC app (`npm run package`).
// Key names are checked against node_modules/app-builder-lib/scheme.json by
// src/main/electron/packaging.test.ts, which also pins the fuses (RELIABILITY target 3).

/**
 * Fuses flipped in the packaged Electron binary (RELIABILITY §1.2). electron-builder 26 passes
 * these to @electron/fuses after packing and re-signs. On Linux an unsigned binary's fuses can
 * be flipped back by anyone who can write the install directory, so they are only as strong
 * as its permissions (RELIABILITY §0.6): install system-wide (deb / per-machine NSIS).
 * @type {import('app-builder-lib').FuseOptionsV1}
 */
const electronFuses = {
  // ELECTRON_RUN_AS_NODE would turn the signed binary into a general Node interpreter.
  runAsNode: false,
  // NODE_OPTIONS / NODE_EXTRA_CA_CERTS could inject code or trust roots.
  enableNodeOptionsEnvironmentVariable: false,
  // --inspect* and SIGUSR1 would open a debugger on the main process.
  enableNodeCliInspectArguments: false,
  // Validates app.asar against the hash embedded at build time (Windows ≥ 30, macOS; no effect
  // on Linux, where install-directory permissions are the control).
  enableEmbeddedAsarIntegrityValidation: true,
  // Only app.asar is loaded, never a loose `app/` folder dropped next to it.
  onlyLoadAppFromAsar: true,
  // We serve from midc:, so file:// pages need no universal access (checklist 18).
  grantFileProtocolExtraPrivileges: false,
  // One-way and harmless: we keep no cookies, but Chromium's store is encrypted if anything lands there.
  enableCookieEncryption: true,
  // No benefit here (RELIABILITY §1.2): leave Electron's default.
  loadBrowserProcessSpecificV8Snapshot: false,
};

/**
 * Runtime dependencies that are already bundled into the renderer or preload: main never
 * requires them, so they are left out of app.asar. Main's own externals (better-sqlite3, zod)
 * stay; packaging.test.ts checks the built main bundle requires none of these.
 */
const bundledOnlyDependencies = ['ag-grid-community', 'ag-grid-react', 'i18next', 'react', 'react-dom', 'react-i18next', 'zustand'];

/** @type {import('app-builder-lib').Configuration} */
module.exports = {
  appId: 'cn.midc.desktop',
  productName: 'MIDC',
  copyright: 'MIDC',
  directories: { output: 'release', buildResources: 'build' },
  // The Electron entry, its shared chunks, the import worker it starts (worker_threads can
  // load scripts from app.asar since electron/electron#33216), the sandboxed preload and the
  // renderer bundle. Not the Chromium host or the CLI (they need playwright-core / a terminal,
  // not the product), not the Chromium preload, and no tests, benchmarks, sources or maps.
  // packaging.test.ts fails when a new out/main entry appears that is in neither list.
  files: [
    'package.json',
    'out/main/index.js',
    'out/main/chunks/**',
    'out/main/ingest-worker.js',
    'out/main/backup-worker.js',
    'out/preload/index.js',
    'out/renderer/**',
    '!out/main/chromium-host*',
    '!out/main/cli*',
    '!out/preload/chromium*',
    '!**/*.map',
    '!**/{test,tests,bench,e2e}/**',
    '!**/node_modules/playwright-core/**',
    '!**/node_modules/@playwright/**',
    ...bundledOnlyDependencies.map((dep) => `!**/node_modules/${dep}/**`),
  ],
  asar: true,
  // A native module cannot be dlopen'ed from inside an asar archive.
  asarUnpack: ['**/node_modules/better-sqlite3/**'],
  // better-sqlite3 must be rebuilt for Electron's ABI (Electron 45 = ABI 150; our dev
  // node_modules are built for Node's). Run packaging with `nodedir` / `npm_config_nodedir`
  // UNSET: this machine's ~/.npmrc sets nodedir=/usr, which leaks into @electron/rebuild and
  // silently compiles against Node's headers (false success, NODE_MODULE_VERSION mismatch at
  // run time; STACK-NOTES §2). Afterwards run `npm rebuild better-sqlite3` to get the Node
  // build back for the unit tests.
  npmRebuild: true,
  // Air-gapped product: no auto-update feed, no publish step, no app-update.yml.
  publish: null,
  // The UI ships in English and Simplified Chinese only.
  electronLanguages: ['en-US', 'zh-CN'],
  electronFuses,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Science',
    executableName: 'midc',
    synopsis: 'Medical Imaging Data Center',
    description: 'Offline data life cycle for small-sample medical-imaging AI teams.',
    maintainer: 'MIDC maintainers <midc@localhost>',
  },
  deb: {
    // better-sqlite3 links nothing beyond glibc; these are Electron's own runtime libraries.
    depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'],
  },
  win: {
    target: ['nsis'],
  },
  nsis: {
    // Per-machine into Program Files: ordinary users cannot rewrite the binary (and its fuses)
    // or app.asar.
    oneClick: false,
    perMachine: true,
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
  },
};
