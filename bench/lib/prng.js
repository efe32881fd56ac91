'use strict';
// Deterministic data: every benchmark seeds its own generator, so the same sizes always give
// the same bytes (no data is committed; bench/.data is regenerated on demand).

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.fill = (buf) => {
    // Fills a Buffer with pseudo-random bytes, four at a time.
    let i = 0;
    for (; i + 4 <= buf.length; i += 4) buf.writeUInt32LE(Math.floor(next() * 4294967296), i);
    for (; i < buf.length; i++) buf[i] = next.int(256);
    return buf;
  };
  return next;
}

module.exports = { prng };
