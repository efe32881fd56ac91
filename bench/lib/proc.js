'use strict';
// Child processes: run one, time it, capture its output and its peak RSS.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT } = require('./machine');

const CLI = path.join(ROOT, 'out', 'main', 'cli.js');
const RSS_HOOK = path.join(__dirname, 'rss-hook.js');

/** Peak RSS (kB) of a running process from /proc, or null. */
function readHwm(pid) {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The environment of a MIDC (Node) child: this machine's, without NODE_EXTRA_CA_CERTS. The
 * sandbox sets it for its npm proxy, and Node then parses that CA bundle when every process
 * starts: ~40 ms of a 65 ms `node -e 0` here (perf: node::crypto::UseExtraCaCerts). A site's
 * workstation has no such variable, and MIDC opens no TLS connection that could use it.
 */
function nodeEnv(extra) {
  const env = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/**
 * Runs `cmd args`; resolves {code, stdout, stderr, ms, peakRssKiB}. A Node child gets the RSS
 * hook preloaded (exact peak) unless `rss` is false (a timing whose memory is not reported:
 * the hook's load and its write at exit are then not in the child's time, peakRssKiB null);
 * any other child is polled every 10 ms through /proc VmHWM.
 */
function run(cmd, args, { cwd = ROOT, env, input, node = false, rss = true } = {}) {
  return new Promise((resolve, reject) => {
    const rssFile = node && rss ? path.join(os.tmpdir(), `midc-bench-rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`) : null;
    const argv = rssFile ? ['--require', RSS_HOOK, ...args] : args;
    const t0 = performance.now();
    const child = spawn(node ? process.execPath : cmd, argv, {
      cwd,
      env: node ? nodeEnv({ ...(env ?? {}), ...(rssFile ? { MIDC_BENCH_RSS_FILE: rssFile } : {}) }) : { ...process.env, ...(env ?? {}) },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let polled = null;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) child.stdin.end(input);
    const poll = node
      ? null
      : setInterval(() => {
          const v = readHwm(child.pid);
          if (v !== null) polled = Math.max(polled ?? 0, v);
        }, 10);
    child.on('error', (err) => {
      if (poll) clearInterval(poll);
      reject(err);
    });
    child.on('close', (code, signal) => {
      const ms = performance.now() - t0;
      if (poll) clearInterval(poll);
      let peakRssKiB = polled;
      if (rssFile) {
        try {
          peakRssKiB = Number(fs.readFileSync(rssFile, 'utf8'));
          fs.rmSync(rssFile, { force: true });
        } catch {
          peakRssKiB = null;
        }
      }
      resolve({ code, signal, stdout, stderr, ms, peakRssKiB });
    });
  });
}

/** Runs the built `midc` CLI (out/main/cli.js) in Node, with the RSS hook unless `rss: false`. */
function midc(args, opts = {}) {
  return run(process.execPath, [CLI, ...args], { ...opts, node: true });
}

/** Like `midc`, but throws with the child's stderr unless the exit code is one of `ok`. */
async function midcOk(args, { ok = [0], ...opts } = {}) {
  const r = await midc(args, opts);
  if (!ok.includes(r.code)) {
    throw new Error(`midc ${args.join(' ')} exited with ${r.code ?? r.signal}:\n${r.stderr.slice(-2000)}`);
  }
  return r;
}

/** The built CLI's command names, from `midc --help`; an empty set when the app is not built. */
let commandsCache = null;
async function midcCommands() {
  if (commandsCache) return commandsCache;
  if (!fs.existsSync(CLI)) return (commandsCache = new Set());
  const r = await midc(['--help']);
  const names = new Set();
  for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
    const m = /^ {2}([a-z][a-z-]*)\s{2,}/.exec(line);
    if (m) names.add(m[1]);
  }
  return (commandsCache = names);
}

/** The path of an executable on PATH, or null (no `which` dependency). */
function which(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return null;
}

module.exports = { run, midc, midcOk, midcCommands, which, CLI, readHwm };
