'use strict';
// A deterministic CT stack for the viewer benchmark: N DICOM files of one series, 512x512,
// 16-bit signed (MONOCHROME2, rescale -1024), explicit VR little endian, written from scratch:
// a body-shaped ellipse of soft tissue with a lesion that moves through the slices, and noise
// on every pixel (no two slices share pixel data, as in a real series).

const fs = require('node:fs');
const path = require('node:path');
const { prng } = require('./prng');

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const ROOT_UID = '1.2.826.0.1.3680043.10.1234'; // a private test root: never a real study
const LONG_VR = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

/** One element, explicit VR little endian, padded to even length (UI with \0, text with space). */
function element(group, el, vr, value) {
  let body;
  if (Buffer.isBuffer(value)) body = value;
  else if (vr === 'US') {
    body = Buffer.alloc(2);
    body.writeUInt16LE(value, 0);
  } else if (vr === 'UL') {
    body = Buffer.alloc(4);
    body.writeUInt32LE(value, 0);
  } else {
    const text = String(value);
    body = Buffer.from(text.length % 2 ? text + (vr === 'UI' ? '\0' : ' ') : text, 'latin1');
  }
  const long = LONG_VR.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(el, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(body.length, 8);
  else head.writeUInt16LE(body.length, 6);
  return Buffer.concat([head, body]);
}

/** Writes `count` slices into `dir` as ct-NNN.dcm; returns the file paths. */
function writeCtStack(dir, { count, size = 512, seed = 1 }) {
  const random = prng(seed);
  const study = `${ROOT_UID}.1.${seed}`;
  const series = `${ROOT_UID}.2.${seed}`;
  const files = [];
  const pixels = Buffer.alloc(size * size * 2);
  for (let n = 0; n < count; n++) {
    const sop = `${ROOT_UID}.3.${seed}.${n + 1}`;
    const lesion = { x: size * (0.35 + 0.3 * (n / Math.max(1, count - 1))), y: size * 0.45, r: size * (0.03 + 0.02 * Math.sin((n / count) * Math.PI)) };
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = (x - size / 2) / (size * 0.42);
        const dy = (y - size / 2) / (size * 0.32);
        let hu = dx * dx + dy * dy <= 1 ? 40 : -1000;
        if ((x - lesion.x) ** 2 + (y - lesion.y) ** 2 <= lesion.r ** 2) hu = 120;
        hu += Math.floor(random() * 41) - 20;
        // Stored value = HU - intercept (rescale intercept -1024, slope 1).
        pixels.writeInt16LE(hu + 1024, (y * size + x) * 2);
      }
    }
    const meta = [
      element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
      element(0x0002, 0x0002, 'UI', CT_IMAGE_STORAGE),
      element(0x0002, 0x0003, 'UI', sop),
      element(0x0002, 0x0010, 'UI', EXPLICIT_LE),
      element(0x0002, 0x0012, 'UI', `${ROOT_UID}.9`),
    ];
    const metaBody = Buffer.concat(meta);
    const dataset = [
      element(0x0008, 0x0008, 'CS', 'ORIGINAL\\PRIMARY\\AXIAL'),
      element(0x0008, 0x0016, 'UI', CT_IMAGE_STORAGE),
      element(0x0008, 0x0018, 'UI', sop),
      element(0x0008, 0x0020, 'DA', '20260601'),
      element(0x0008, 0x0060, 'CS', 'CT'),
      element(0x0008, 0x0070, 'LO', 'MIDC BENCH'),
      element(0x0010, 0x0010, 'PN', 'BENCH^STACK'),
      element(0x0010, 0x0020, 'LO', `BENCH-${seed}`),
      element(0x0018, 0x0050, 'DS', '1.25'),
      element(0x0020, 0x000d, 'UI', study),
      element(0x0020, 0x000e, 'UI', series),
      element(0x0020, 0x0011, 'IS', '1'),
      element(0x0020, 0x0013, 'IS', String(n + 1)),
      element(0x0020, 0x0032, 'DS', `-160\\-160\\${(-n * 1.25).toFixed(2)}`),
      element(0x0020, 0x0037, 'DS', '1\\0\\0\\0\\1\\0'),
      element(0x0028, 0x0002, 'US', 1),
      element(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
      element(0x0028, 0x0010, 'US', size),
      element(0x0028, 0x0011, 'US', size),
      element(0x0028, 0x0030, 'DS', '0.625\\0.625'),
      element(0x0028, 0x0100, 'US', 16),
      element(0x0028, 0x0101, 'US', 16),
      element(0x0028, 0x0102, 'US', 15),
      element(0x0028, 0x0103, 'US', 1),
      element(0x0028, 0x1050, 'DS', '40'),
      element(0x0028, 0x1051, 'DS', '400'),
      element(0x0028, 0x1052, 'DS', '-1024'),
      element(0x0028, 0x1053, 'DS', '1'),
      element(0x7fe0, 0x0010, 'OW', pixels),
    ];
    const file = path.join(dir, `ct-${String(n + 1).padStart(3, '0')}.dcm`);
    fs.writeFileSync(file, Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), element(0x0002, 0x0000, 'UL', metaBody.length), metaBody, ...dataset]));
    files.push(file);
  }
  return files;
}

module.exports = { writeCtStack };
