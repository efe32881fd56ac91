// Lint rules enforce the architecture (HOUSE-STYLE 2): which source root may import which,
// and the Electron security rules that must hold in every file, not just under review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'url', 'util', 'stream'];
// RELIABILITY target 8: nothing in the app may open network connections.
const networkModules = ['http', 'https', 'net', 'tls', 'dgram', 'dns', 'http2', 'undici', 'node:http', 'node:https', 'node:net', 'node:tls', 'node:dgram', 'node:dns', 'node:http2'];

const noNetwork = { group: networkModules, message: 'MIDC is air-gapped: no network modules (RELIABILITY target 8).' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', performance: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-properties': ['error', { object: 'shell', property: 'openExternal', message: 'Nothing external is opened (Electron checklist 15).' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/main/**', '**/renderer/**', '**/preload/**', 'electron', 'react', 'react-dom', 'better-sqlite3', ...nodeBuiltins], message: 'src/shared imports only src/shared (and zod): it runs in every process.' },
          noNetwork,
        ],
      }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/main/**', '**/preload/*.ts', '**/preload/index', '**/preload/chromium', '**/preload/build-api', 'electron', 'better-sqlite3', 'playwright-core', ...nodeBuiltins], message: 'The renderer talks to main only through window.api.' },
          noNetwork,
        ],
      }],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/main/**', '**/renderer/**', ...nodeBuiltins], message: 'The preload is a thin adapter over the contract.' },
          noNetwork,
        ],
      }],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/ipc-main.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', importNames: ['ipcMain'], message: 'Only src/main/electron/ipc-main.ts registers IPC handlers.' }],
        patterns: [
          { group: ['**/renderer/**', '**/preload/**'], message: 'Main never imports renderer or preload code.' },
          noNetwork,
        ],
      }],
    },
  },
  {
    // Connections come from src/main/db/sqlite.ts, which names the native addon: the build
    // bundles better-sqlite3, whose own addon lookup would then fail. Tests run from source.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/ipc-main.ts', 'src/main/db/sqlite.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', importNames: ['ipcMain'], message: 'Only src/main/electron/ipc-main.ts registers IPC handlers.' },
          { name: 'better-sqlite3', allowTypeImports: true, message: 'Open SQLite through src/main/db/sqlite.ts (openSqlite), which names the native addon of the bundled package.' },
        ],
        patterns: [
          { group: ['**/renderer/**', '**/preload/**'], message: 'Main never imports renderer or preload code.' },
          noNetwork,
        ],
      }],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/window.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='BrowserWindow']", message: 'Windows come only from the factory in src/main/electron/window.ts (RELIABILITY target 1).' },
        { selector: "NewExpression[callee.name='WebContentsView']", message: 'Views come only from the factory in src/main/electron/window.ts.' },
      ],
    },
  },
  {
    files: ['src/main/electron/ipc-main.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**', '**/preload/**'] }, noNetwork] }],
    },
  },
  {
    files: ['bin/**/*.js', 'bench/**/*.{js,mjs}', '*.cjs', '.ci/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', exports: 'writable', __filename: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
