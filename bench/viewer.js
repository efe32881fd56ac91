'use strict';
// viewer: in the Chromium host, time from opening a ticket to the first rendered image and
// the scroll rate over a 200-image 512x512 CT stack (targets ≤ 100 ms, ≥ 30 images/s).
// Filled in when the lesion viewer (issue 4) lands; until then "not yet available".

const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./lib/machine');

function viewerFiles() {
  const dir = path.join(ROOT, 'src', 'renderer', 'src');
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (/viewer|stack-?view/i.test(e.name) && !/\.test\./.test(e.name)) found.push(path.relative(ROOT, path.join(d, e.name)));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return found;
}

module.exports = {
  name: 'viewer',
  title: 'Viewer: ticket to first image, and stack scroll rate, in the Chromium host',
  async run() {
    const files = viewerFiles();
    return {
      status: 'unavailable',
      reason: files.length
        ? `viewer code is arriving (${files.slice(0, 3).join(', ')}) but the ticket-to-first-image hook this benchmark times (issue 4) is not wired yet; targets: ≤ 100 ms to first image, ≥ 30 images/s scrolling`
        : 'the ticket viewer (issue 4, Cornerstone lesion workspace) is not built; targets: ≤ 100 ms to first image, ≥ 30 images/s scrolling',
    };
  },
};
