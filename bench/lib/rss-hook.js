'use strict';
// Preloaded with `node --require` into a measured child: on exit it writes the process's peak
// resident set (kB, worker threads included) to $MIDC_BENCH_RSS_FILE. Exact, unlike polling.
const fs = require('node:fs');

const file = process.env.MIDC_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      fs.writeFileSync(file, String(process.resourceUsage().maxRSS));
    } catch {
      // The measurement is best effort; never change the child's outcome.
    }
  });
}
