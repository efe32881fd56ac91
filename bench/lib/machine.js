'use strict';
// Where and when the figures were taken: CPU, cores, RAM, Node, date and commit.

const os = require('node:os');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function machineInfo() {
  const cpus = os.cpus();
  const commit = git(['rev-parse', '--short', 'HEAD']);
  // The results files are this script's own output: changes to them do not make the code dirty.
  const dirty = git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/RESULTS.md', ':(exclude)bench/results.json']);
  return {
    cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
    cores: cpus.length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    // Other work on the machine skews absolute times (ratios less so): record it.
    load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    commit: commit ? `${commit}${dirty ? ' (+ uncommitted changes)' : ''}` : 'unknown',
  };
}

module.exports = { machineInfo, ROOT };
