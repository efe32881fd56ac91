'use strict';
// Orthanc (Debian package `orthanc`) as a benchmark anchor: a private server process per
// measurement, with a temporary config and storage, HTTP on loopback only, no DICOM server,
// no plugins; stopped (SIGTERM, then SIGKILL) and its folder removed afterwards, also on
// errors and when the benchmark process itself exits early.

const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');
const { which, readHwm } = require('./proc');
const { scratch, remove } = require('./data');

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** The Orthanc executable: on PATH, or where the Debian package puts it (/usr/sbin is not on every user's PATH). */
function findOrthanc() {
  const onPath = which('Orthanc') ?? which('orthanc');
  if (onPath) return onPath;
  for (const p of ['/usr/sbin/Orthanc', '/usr/bin/Orthanc', '/usr/local/sbin/Orthanc', '/usr/local/bin/Orthanc']) {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** `Orthanc --version`, first line ("Orthanc 1.10.1"), or null. */
function orthancVersion(bin) {
  try {
    const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    return out.split('\n')[0].trim() || null;
  } catch {
    return null;
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Servers still running. If this process exits, or is told to stop by a signal, before it
// stopped them, they are killed (SIGKILL) and their folders removed; the signal handlers are
// installed only while a server runs, then the signal is re-raised with its default action.
const live = new Set();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killAll() {
  for (const s of live) {
    try {
      s.child.kill('SIGKILL');
    } catch {
      // already gone
    }
    try {
      remove(s.dir);
    } catch {
      // best effort
    }
  }
  live.clear();
}

function onSignal(signal) {
  killAll();
  untrack();
  process.kill(process.pid, signal);
}

function track(server) {
  if (live.size === 0) {
    process.on('exit', killAll);
    for (const sig of SIGNALS) process.on(sig, onSignal);
  }
  live.add(server);
}

function untrack(server) {
  if (server) live.delete(server);
  if (live.size === 0) {
    process.removeListener('exit', killAll);
    for (const sig of SIGNALS) process.removeListener(sig, onSignal);
  }
}

/** The temporary configuration: only what the benchmark needs, everything else off. */
function config(dir, port) {
  return {
    Name: 'midc-bench',
    StorageDirectory: path.join(dir, 'storage'),
    IndexDirectory: path.join(dir, 'index'),
    StorageCompression: false,
    // Same durability as MIDC's store, which fsyncs every blob (Orthanc's default, made explicit).
    SyncStorageArea: true,
    Plugins: [],
    LuaScripts: [],
    HttpServerEnabled: true,
    HttpPort: port,
    // Loopback only: requests from any other host are refused, so no credentials are needed.
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    RegisteredUsers: {},
    HttpCompressionEnabled: false,
    KeepAlive: true,
    TcpNoDelay: true,
    OrthancExplorerEnabled: false,
    WebDavEnabled: false,
    DicomServerEnabled: false,
    SaveJobs: false,
    OverwriteInstances: false,
  };
}

/**
 * One HTTP request to the server; resolves {status, body} (body parsed as JSON when it is).
 * `body` may be a Buffer (sent as application/dicom).
 */
function request(server, method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path: urlPath,
        agent: server.agent,
        headers: body ? { 'content-type': 'application/dicom', 'content-length': body.length } : {},
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${urlPath}: no answer from Orthanc in 120 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Stops the server: SIGTERM, up to 10 s to exit, then SIGKILL; removes its folder. Idempotent. */
/** Stops the server; its storage folder is removed unless `keepFiles` (the caller removes it later). */
async function stopOrthanc(server, { keepFiles = false } = {}) {
  if (server.stopped) return;
  server.stopped = true;
  server.agent.destroy();
  if (server.exitCode === undefined) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') {
      server.child.kill('SIGKILL');
      await exited;
    }
  }
  untrack(server);
  if (!keepFiles) remove(server.dir);
}

/** Spawns Orthanc on a fresh port and folder; resolves once `GET /system` answers. */
async function spawnOnce(bin) {
  const dir = scratch('orthanc');
  const port = await freePort();
  fs.mkdirSync(path.join(dir, 'storage'));
  fs.mkdirSync(path.join(dir, 'index'));
  const configFile = path.join(dir, 'orthanc.json');
  fs.writeFileSync(configFile, JSON.stringify(config(dir, port), null, 2));
  const child = spawn(bin, [configFile], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const server = {
    bin,
    child,
    pid: child.pid,
    port,
    dir,
    agent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
    stderr: '',
    exitCode: undefined,
    stopped: false,
  };
  track(server);
  child.stderr.on('data', (d) => {
    server.stderr = (server.stderr + d).slice(-4000);
  });
  const exited = new Promise((resolve) => {
    child.on('error', (err) => {
      server.exitCode = null;
      server.spawnError = err;
      resolve();
    });
    child.on('exit', (code, signal) => {
      server.exitCode = code ?? signal;
      resolve();
    });
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      if (server.exitCode !== undefined) {
        const why = server.spawnError ? server.spawnError.message : `exited with ${server.exitCode}`;
        throw Object.assign(new Error(`Orthanc ${why} before answering:\n${server.stderr.trim().slice(-1500)}`), { portClash: /bind|address already in use|port/i.test(server.stderr) });
      }
      try {
        const r = await request(server, 'GET', '/system');
        if (r.status === 200 && r.body && typeof r.body === 'object') {
          server.version = r.body.Version;
          return server;
        }
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`Orthanc did not answer GET /system within ${START_TIMEOUT_MS / 1000} s:\n${server.stderr.trim().slice(-1500)}`);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 50))]);
    }
  } catch (err) {
    await stopOrthanc(server);
    throw err;
  }
}

/**
 * Starts a private Orthanc (fresh storage and index) and resolves the server once it answers.
 * The port is picked free just before the start; a lost race for it is retried.
 */
async function startOrthanc(bin) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(bin);
    } catch (err) {
      if (!err.portClash || attempt >= 3) throw err;
    }
  }
}

/**
 * POSTs every file to /instances with `concurrency` requests in flight on a keep-alive agent
 * (each file read from disk when its turn comes, as a client uploading a folder would).
 * Throws unless every file is newly stored ("Success").
 */
async function storeAll(server, files, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++];
      const data = await fs.promises.readFile(f);
      const r = await request(server, 'POST', '/instances', data);
      if (r.status !== 200 || !r.body || r.body.Status !== 'Success') {
        throw new Error(`Orthanc POST /instances ${path.basename(f)}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
}

/** Orthanc's own count of stored instances (GET /statistics). */
async function countInstances(server) {
  const r = await request(server, 'GET', '/statistics');
  if (r.status !== 200) throw new Error(`Orthanc GET /statistics: HTTP ${r.status}`);
  return Number(r.body.CountInstances);
}

/** Peak RSS (kB) of the server process so far (/proc VmHWM, all its threads). */
const peakRssKiB = (server) => readHwm(server.pid);

module.exports = { findOrthanc, orthancVersion, startOrthanc, stopOrthanc, storeAll, countInstances, peakRssKiB };
