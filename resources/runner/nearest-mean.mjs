#!/usr/bin/env node
// MIDC example runner: a nearest-mean classifier over the stored thumbnails.
//
//   node nearest-mean.mjs MANIFEST.json
//
// MIDC writes MANIFEST.json (see src/main/evaluation/runner.ts, `Manifest`): the training images
// with their class, the test images without, and where to write the predictions. This script
// averages an 8x8 feature (mean grey levels of the thumbnail) per class over the training
// images, assigns each test image the class with the nearest mean, and writes
// `image_key,class,score` (score: softmax of minus the distances). It needs only Node: no
// network, no packages. Register it for a model with the argv
//   ["node", "/path/to/resources/runner/nearest-mean.mjs", "{manifest}"]
import fs from 'node:fs';
import zlib from 'node:zlib';

const SIDE = 8;

/** Decodes an 8-bit greyscale PNG (what MIDC writes as thumbnails) to {width, height, pixels}. */
function decodeGreyPng(bytes) {
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 0) throw new Error('only 8-bit greyscale PNG thumbnails are supported');
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (width + 1)];
    for (let x = 0; x < width; x++) {
      const v = raw[y * (width + 1) + 1 + x];
      const a = x > 0 ? pixels[y * width + x - 1] : 0;
      const b = y > 0 ? pixels[(y - 1) * width + x] : 0;
      const c = x > 0 && y > 0 ? pixels[(y - 1) * width + x - 1] : 0;
      let p = 0;
      if (filter === 1) p = a;
      else if (filter === 2) p = b;
      else if (filter === 3) p = (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * width + x] = (v + p) & 0xff;
    }
  }
  return { width, height, pixels };
}

function feature(image) {
  if (!image.thumbnail) return null;
  const { width, height, pixels } = decodeGreyPng(fs.readFileSync(image.thumbnail));
  const out = new Float64Array(SIDE * SIDE);
  const counts = new Float64Array(SIDE * SIDE);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cell = Math.floor((y * SIDE) / height) * SIDE + Math.floor((x * SIDE) / width);
      out[cell] += pixels[y * width + x];
      counts[cell]++;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = counts[i] ? out[i] / counts[i] / 255 : 0;
  return out;
}

const manifest = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
if (manifest.task !== 'classification') {
  console.error(`nearest-mean classifies only; this run is ${manifest.task}`);
  process.exit(2);
}
const sums = new Map();
for (const image of manifest.images.filter((i) => i.split === 'train' && i.label)) {
  const f = feature(image);
  if (!f) continue;
  const acc = sums.get(image.label) ?? { sum: new Float64Array(SIDE * SIDE), n: 0 };
  for (let i = 0; i < f.length; i++) acc.sum[i] += f[i];
  acc.n++;
  sums.set(image.label, acc);
}
if (sums.size === 0) {
  console.error('no training image with a label and a thumbnail: record a training plan with a labelled training set');
  process.exit(3);
}
const means = [...sums].map(([label, acc]) => ({ label, mean: acc.sum.map((v) => v / acc.n) }));
console.log(`trained ${means.length} class means on ${[...sums.values()].reduce((s, a) => s + a.n, 0)} images`);
const lines = ['image_key,class,score'];
for (const image of manifest.images.filter((i) => i.split === 'test')) {
  const f = feature(image);
  if (!f) continue;
  const d = means.map((m) => Math.sqrt(m.mean.reduce((s, v, i) => s + (v - f[i]) ** 2, 0)));
  const best = d.indexOf(Math.min(...d));
  const z = d.reduce((s, v) => s + Math.exp(-v * 10), 0);
  lines.push(`${image.key},${means[best].label},${(Math.exp(-d[best] * 10) / z).toFixed(4)}`);
}
fs.writeFileSync(manifest.output, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length - 1} predictions to ${manifest.output}`);
