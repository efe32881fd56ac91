#!/usr/bin/env node
'use strict';
// `npm run bench` runs every benchmark and rewrites bench/RESULTS.md;
// `npm run bench -- NAME...` runs those (and updates their sections);
// `npm run bench -- --smoke` runs every one at tiny sizes and writes nothing but bench/.data
// (it is part of `npm test`, so the scripts cannot rot). Exit 1 when a benchmark crashes.

const os = require('node:os');
const path = require('node:path');
const { machineInfo } = require('./lib/machine');
const { writeResults } = require('./lib/report');
const { DATA, remove } = require('./lib/data');

const BENCHMARKS = ['ingest', 'metrics', 'drilldown', 'viewer', 'backup'].map((n) => require(`./${n}.js`));
const ORDER = BENCHMARKS.map((b) => b.name);

const USAGE = `Usage: npm run bench -- [--smoke] [NAME...]

Benchmarks: ${BENCHMARKS.map((b) => b.name + (b.aliases ? ` (alias: ${b.aliases.join(', ')})` : '')).join(', ')}
  (none)    every benchmark at full size; rewrites bench/RESULTS.md
  NAME...   only these; their sections of bench/RESULTS.md are replaced
  --smoke   tiny sizes, every code path, nothing written to RESULTS.md (used by npm test)
`;

function parseArgs(argv) {
  const opts = { smoke: false, names: [] };
  for (const a of argv) {
    if (a === '--smoke') opts.smoke = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else {
      const b = BENCHMARKS.find((x) => x.name === a || (x.aliases ?? []).includes(a));
      if (!b) throw new Error(`unknown benchmark "${a}"`);
      if (!opts.names.includes(b.name)) opts.names.push(b.name);
    }
  }
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const selected = opts.names.length ? BENCHMARKS.filter((b) => opts.names.includes(b.name)) : BENCHMARKS;
  const machine = machineInfo();
  process.stdout.write(`bench${opts.smoke ? ' (smoke)' : ''}: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}, commit ${machine.commit}, load ${machine.load}\n`);
  const sections = {};
  let crashed = 0;
  for (const b of selected) {
    const log = (msg) => process.stdout.write(`  [${b.name}] ${msg}\n`);
    process.stdout.write(`\n== ${b.name}: ${b.title}\n`);
    const t0 = performance.now();
    let section;
    try {
      section = await b.run({ smoke: opts.smoke, log });
    } catch (err) {
      crashed++;
      process.stderr.write(`  [${b.name}] CRASHED: ${err && err.stack ? err.stack : err}\n`);
      section = { status: 'error', reason: `crashed: ${String(err && err.message ? err.message : err).split('\n')[0]}` };
    }
    const seconds = (performance.now() - t0) / 1000;
    sections[b.name] = { title: b.title, machine, seconds, loadAtEnd: os.loadavg().map((l) => l.toFixed(2)).join(' '), ...section };
    if (section.status === 'unavailable') log(`not yet available: ${section.reason}`);
    for (const r of section.results ?? []) {
      if (opts.smoke) r.pass = null; // tiny sizes: the figures prove the path runs, nothing more
      const v = r.pass === true ? 'pass' : r.pass === false ? 'FAIL' : '-';
      log(`${r.name}: MIDC ${r.midc} | anchor ${r.anchor} | ratio ${r.ratio} | target ${r.target} | ${v}`);
    }
    log(`done in ${seconds.toFixed(1)} s`);
  }
  remove(path.join(DATA, 'tmp'));
  if (opts.smoke) {
    process.stdout.write(`\nsmoke run: ${crashed ? `${crashed} benchmark(s) crashed` : 'every benchmark ran'}; bench/RESULTS.md left untouched\n`);
  } else if (crashed === 0 || opts.names.length) {
    const notes = [];
    const busiest = Math.max(...Object.values(sections).flatMap((x) => [x.machine.load, x.loadAtEnd].map((l) => Number(String(l).split(' ')[0]))));
    if (busiest > os.cpus().length) {
      notes.push(`The machine was busy during this run (1-minute load average up to ${busiest.toFixed(1)} on ${os.cpus().length} cores): absolute times are inflated; MIDC and its anchors shared the same conditions, so the ratios are the figures to read.`);
    }
    const file = writeResults(sections, ORDER, { full: opts.names.length === 0, notes });
    process.stdout.write(`\nwrote ${path.relative(process.cwd(), file)}\n`);
  } else {
    process.stdout.write('\nbench/RESULTS.md not rewritten: a benchmark crashed\n');
  }
  return crashed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
