'use strict';
// Child process of the metrics benchmark: loads the GT and PRED CSVs into the engine's column
// tables (not timed), then times `evaluateClassification` on them and prints JSON to stdout.
// argv: BUNDLE GT.csv PRED.csv WARMUP RUNS

const fs = require('node:fs');

const [bundle, gtFile, predFile, warmupText, runsText] = process.argv.slice(2);
const engine = require(bundle);

/** Our own generated files: a header, then `key,class[,score]` lines without quoting. */
function load(file, source) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const imageKeys = [];
  const classNames = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const a = line.indexOf(',');
    const b = line.indexOf(',', a + 1);
    imageKeys.push(line.slice(0, a));
    classNames.push(b === -1 ? line.slice(a + 1) : line.slice(a + 1, b));
  }
  return { source, imageKeys, classNames };
}

const gt = load(gtFile, 'gt');
const pred = load(predFile, 'pred');
const samples = [];
let result = null;
for (let i = 0; i < Number(warmupText) + Number(runsText); i++) {
  const t0 = performance.now();
  result = engine.evaluateClassification(gt, pred).metrics;
  const ms = performance.now() - t0;
  if (i >= Number(warmupText)) samples.push(ms);
}
process.stdout.write(JSON.stringify({ samples, rows: gt.imageKeys.length, classes: result.classes, confusion: result.confusion.map((r) => r.slice(0, result.classes.length)), accuracy: result.accuracy }));
