import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import pkg from './package.json';

const version = JSON.stringify(pkg.version);

export default defineConfig({
  main: {
    define: { __MIDC_VERSION__: version },
    build: {
      // Dependencies stay outside the bundle, except better-sqlite3's JavaScript: bundled, it
      // is one chunk instead of a dozen files to resolve and load on every start (~5 ms of each
      // `midc` command and backup worker, bench "backup"); its native addon stays in
      // node_modules and is named by src/main/db/sqlite.ts. playwright-core is used only by
      // the Chromium host and is never packaged into the Electron app.
      externalizeDeps: { include: ['playwright-core'], exclude: ['better-sqlite3'] },
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src/main/electron/main.ts'),
          'chromium-host': resolve(__dirname, 'src/main/chromium-host/main.ts'),
          cli: resolve(__dirname, 'src/main/cli/main.ts'),
          // Worker threads for untrusted file parsing (import); started by path at run time.
          'ingest-worker': resolve(__dirname, 'src/main/ingest/worker.ts'),
          // Backups and their verification, off the main thread (issue 8).
          'backup-worker': resolve(__dirname, 'src/main/backup/worker.ts'),
        },
        output: {
          // Small modules that many entries share would each be a chunk of its own; every
          // chunk is one more file to resolve and load when a `midc` command or a worker
          // starts (~0.4 ms each here, bench "backup"). Three groups instead: what every
          // `midc` command loads, the store basics (also the import workers'), and SQLite.
          codeSplitting: {
            groups: [
              { name: 'base', test: /src[\\/]shared[\\/]errors\.ts|src[\\/]main[\\/]workspace[\\/]workspace\.ts|src[\\/]main[\\/]cli[\\/](command|commands[\\/]info)\.ts/ },
              { name: 'store', test: /src[\\/]main[\\/](storage[\\/](durable-fs|blob-layout|format-bytes)|audit[\\/]canonical)\.ts/ },
              { name: 'sqlite', test: /src[\\/]main[\\/]db[\\/]sqlite\.ts|node_modules[\\/](better-sqlite3|bindings|file-uri-to-path)[\\/]/ },
            ],
          },
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only `electron`: bundle everything else, one file per
      // entry (STACK-NOTES §7). The Chromium preload is injected as a plain init script.
      externalizeDeps: false,
      isolatedEntries: true,
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src/preload/index.ts'),
          chromium: resolve(__dirname, 'src/preload/chromium.ts'),
        },
        external: ['electron'],
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    define: { __MIDC_VERSION__: version },
    plugins: [react()],
    build: {
      minify: true,
      rolldownOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
