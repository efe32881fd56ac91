import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import pkg from './package.json';

const version = JSON.stringify(pkg.version);

export default defineConfig({
  main: {
    define: { __MIDC_VERSION__: version },
    build: {
      // Native and host-only modules stay outside the bundle; playwright-core is used only by
      // the Chromium host and is never packaged into the Electron app.
      externalizeDeps: { include: ['playwright-core'] },
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
