/**
 * Electron main entry (built to out/main/index.js, package.json "main"). All wiring is in
 * host.ts so that tests can drive it against a mocked `electron`; this file only starts it
 * with the real argv and the directory of the built bundle, whose siblings are the preload
 * and renderer bundles.
 */
import { startElectronHost } from './host';

startElectronHost({ argv: process.argv, mainDir: __dirname });
