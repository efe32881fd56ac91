'use strict';
// bench/RESULTS.md: rendered from bench/results.json, which keeps the latest figures of every
// benchmark (a full run replaces all of them; `npm run bench -- NAME` replaces one section).

const fs = require('node:fs');
const path = require('node:path');

const RESULTS_MD = path.join(__dirname, '..', 'RESULTS.md');
const RESULTS_JSON = path.join(__dirname, '..', 'results.json');

function loadStore() {
  try {
    return JSON.parse(fs.readFileSync(RESULTS_JSON, 'utf8'));
  } catch {
    return { sections: {} };
  }
}

const cell = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const verdict = (pass) => (pass === true ? '**pass**' : pass === false ? '**FAIL**' : '—');

function machineLine(m) {
  return `${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node ${m.node}; ${m.platform}; ${m.date}; commit ${m.commit}${m.load ? `; load average at start ${m.load}` : ''}`;
}

function render(store, order) {
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (see [README.md](README.md) for what each benchmark measures and why its anchor is fair).',
    'Every figure is the median of the measured runs after a warm-up, with min and max; MIDC and its anchor are',
    'measured in the same run on the same machine and data, and the ratio between them is what counts.',
    '',
    ...(store.notes ?? []).flatMap((note) => [`> ${note}`, '']),
    '## Summary',
    '',
    '| benchmark | result | MIDC | anchor | ratio | target | verdict |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const names = order.filter((n) => store.sections[n]);
  for (const name of names) {
    const s = store.sections[name];
    if (s.status !== 'ok') {
      lines.push(`| ${name} | — | not yet available | — | — | — | ${cell(s.reason)} |`);
      continue;
    }
    for (const r of s.results) {
      // A result may give a brief form for the table; else its text up to the first ';'.
      const short = (key) => cell(r.brief && r.brief[key] ? r.brief[key] : String(r[key]).split(';')[0]);
      lines.push(`| ${name} | ${cell(r.name)} | ${short('midc')} | ${short('anchor')} | ${cell(r.ratio)} | ${cell(r.target)} | ${verdict(r.pass)} |`);
    }
  }
  for (const name of names) {
    const s = store.sections[name];
    lines.push('', `## ${s.title ?? name}`, '');
    lines.push(`Run: ${machineLine(s.machine)}${s.loadAtEnd ? `, at end ${s.loadAtEnd}` : ''}.${s.sizes ? ` Sizes: ${s.sizes}.` : ''}${s.seconds !== undefined ? ` Took ${s.seconds.toFixed(0)} s.` : ''}`, '');
    if (s.status !== 'ok') {
      lines.push(`**Not yet available**: ${s.reason}`);
      continue;
    }
    for (const r of s.results) {
      lines.push(`### ${r.name}`, '', `- what: ${r.what}`, `- MIDC: ${r.midc}`, `- anchor: ${r.anchor}`, `- ratio: ${r.ratio}`, `- target: ${r.target} → ${verdict(r.pass)}`);
      if (r.notes) lines.push(`- notes: ${r.notes}`);
      lines.push('');
    }
    for (const note of s.notes ?? []) lines.push(`> ${note}`, '');
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Stores the sections of this run (replacing those of the same name) and rewrites RESULTS.md. */
function writeResults(sections, order, { full, notes = [] } = {}) {
  const store = full ? { sections: {} } : loadStore();
  // A partial run's notes (e.g. the machine was busy) belong to the sections it measured.
  for (const [name, section] of Object.entries(sections)) {
    store.sections[name] = full || notes.length === 0 ? section : { ...section, notes: [...new Set([...(section.notes ?? []), ...notes])] };
  }
  if (full) store.notes = notes;
  fs.writeFileSync(RESULTS_JSON, `${JSON.stringify(store, null, 2)}\n`);
  fs.writeFileSync(RESULTS_MD, render(store, order));
  return RESULTS_MD;
}

module.exports = { writeResults, render, RESULTS_MD };
