'use strict';
// bench/.data: generated inputs and scratch folders (git-ignored, never committed).

const fs = require('node:fs');
const path = require('node:path');

const DATA = path.join(__dirname, '..', '.data');

/** bench/.data/<name>, created. */
function dataDir(...parts) {
  const dir = path.join(DATA, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A fresh, empty scratch folder under bench/.data/tmp. */
function scratch(prefix) {
  const base = dataDir('tmp');
  return fs.mkdtempSync(path.join(base, `${prefix}-`));
}

function remove(p) {
  fs.rmSync(p, { recursive: true, force: true });
}

/**
 * Reuses a generated data set when its stamp (the generator's parameters) matches; otherwise
 * wipes `dir`, calls `generate(dir)` and writes the stamp last, so an interrupted generation is
 * redone next time.
 */
async function cached(dir, stamp, generate) {
  // The stamp sits beside the folder, not in it: the folder is imported as a whole.
  const stampFile = `${dir}.stamp.json`;
  const want = JSON.stringify(stamp);
  try {
    if (fs.readFileSync(stampFile, 'utf8') === want) return { dir, generated: false };
  } catch {
    // not generated yet
  }
  remove(dir);
  remove(stampFile);
  fs.mkdirSync(dir, { recursive: true });
  await generate(dir);
  fs.writeFileSync(stampFile, want);
  return { dir, generated: true };
}

module.exports = { DATA, dataDir, scratch, remove, cached };
