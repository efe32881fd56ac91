#!/usr/bin/env node
// `npm start`: runs MIDC in Electron when its runtime is installed, otherwise in the Chromium
// host (same app, same workspace). Run after `electron-vite build`; arguments are passed on.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);

/**
 * The Electron binary, or null. Read from electron's path.txt rather than require('electron'):
 * requiring it without the binary makes electron try to download it, which fails offline.
 */
function electronBinary() {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  try {
    const relative = fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim();
    const binary = path.join(pkgDir, 'dist', relative);
    return relative && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: root });
  // Ctrl+C reaches the child through the terminal; forward the signals that do not.
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    console.error(`Could not start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary();
if (electron) {
  run(electron, [root, ...args]);
} else {
  console.log(
    "Electron's runtime is not installed on this machine; opening MIDC in the Chromium host instead (same app, same data)...",
  );
  run(process.execPath, [path.join(root, 'out', 'main', 'chromium-host.js'), ...args]);
}
