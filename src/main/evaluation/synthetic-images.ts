import fs from 'node:fs';
import path from 'node:path';
import { encodeGreyPng } from '../ingest/png';

/** A small deterministic PRNG (mulberry32), so demo and test images are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticImage {
  readonly file: string;
  readonly className: string;
  /** The lesion's box (x, y, w, h) when the class has one. */
  readonly box: { x: number; y: number; w: number; h: number } | null;
}

/**
 * Writes `count` 64×64 greyscale PNGs into `dir`: a noisy background with, for classes other
 * than the first, a bright disc (a "lesion") whose size grows with the class index. Names are
 * `<prefix>-NNN.png`. Deterministic for a seed; every image differs in its noise and placement.
 */
export function writeSyntheticImages(dir: string, count: number, classes: readonly string[], seed = 1, prefix = 'demo'): SyntheticImage[] {
  fs.mkdirSync(dir, { recursive: true });
  const random = prng(seed);
  const size = 64;
  const out: SyntheticImage[] = [];
  for (let n = 0; n < count; n++) {
    const c = n % classes.length;
    const pixels = new Uint8Array(size * size);
    // A background gradient whose direction varies per image keeps perceptual hashes apart.
    const angle = random() * Math.PI * 2;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const g = 60 + 50 * Math.sin(angle) * (x / size) + 50 * Math.cos(angle) * (y / size) + random() * 30;
        pixels[y * size + x] = Math.max(0, Math.min(255, Math.round(g)));
      }
    }
    // Soft blobs of tissue-like structure: they make the perceptual hashes of two images as
    // different as those of two real studies, so the leakage check does not see near duplicates.
    for (let b = 0; b < 5; b++) {
      const bx = random() * size;
      const by = random() * size;
      const radius = 6 + random() * 14;
      const amplitude = (random() - 0.5) * 140;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const i = y * size + x;
          const v = (pixels[i] as number) + amplitude * Math.exp(-((x - bx) ** 2 + (y - by) ** 2) / (2 * radius * radius));
          pixels[i] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    let box: SyntheticImage['box'] = null;
    if (c > 0) {
      const r = 4 + c * 3;
      const cx = Math.round(r + random() * (size - 2 * r));
      const cy = Math.round(r + random() * (size - 2 * r));
      for (let y = cy - r; y <= cy + r; y++) {
        for (let x = cx - r; x <= cx + r; x++) {
          if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) pixels[y * size + x] = 230;
        }
      }
      box = { x: cx - r, y: cy - r, w: 2 * r + 1, h: 2 * r + 1 };
    }
    const file = path.join(dir, `${prefix}-${String(n + 1).padStart(3, '0')}.png`);
    fs.writeFileSync(file, encodeGreyPng(size, size, pixels));
    out.push({ file, className: classes[c] as string, box });
  }
  return out;
}
