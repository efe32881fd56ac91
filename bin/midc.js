#!/usr/bin/env node
'use strict';
// The `midc` command: runs the built CLI (npm install builds it through the prepare script).
const path = require('node:path');
const fs = require('node:fs');

const built = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(built)) {
  process.stderr.write('midc: the app is not built yet. Run "npm run build" in the MIDC folder first.\n');
  process.exit(2);
}
require(built);
