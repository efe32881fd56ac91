import type { ParsedDicom } from './dicom-info';

/** One frame as luminance values (modality units after rescale), row-major. */
export interface Luminance {
  readonly width: number;
  readonly height: number;
  readonly values: Float32Array;
}

/**
 * Decodes the first frame of a DICOM image to luminance where Node can do it without a codec:
 * native little/big endian and RLE Lossless. JPEG, JPEG-LS and JPEG 2000 return null — they are
 * stored as they are and decoded by the viewer's codecs.
 */
export function decodeFirstFrame(parsed: ParsedDicom): Luminance | null {
  const { info, dataSet, bytes } = parsed;
  const pixel = dataSet.elements.x7fe00010;
  if (!pixel || !info.viewable) return null;
  const { rows, columns, samplesPerPixel, bitsAllocated } = info;
  const frameBytes = (rows * columns * samplesPerPixel * bitsAllocated) / 8;
  let raw: Uint8Array;
  let bigEndian = false;
  if (!info.encapsulated) {
    raw = bytes.subarray(pixel.dataOffset, pixel.dataOffset + frameBytes);
    bigEndian = info.transferSyntax === '1.2.840.10008.1.2.2';
  } else if (info.transferSyntax === '1.2.840.10008.1.2.5') {
    const fragment = pixel.fragments?.[0];
    if (!fragment) return null;
    const start = fragment.position;
    const decoded = decodeRle(bytes.subarray(start, start + fragment.length), rows * columns, samplesPerPixel, bitsAllocated);
    if (!decoded) return null;
    raw = decoded;
  } else {
    return null;
  }
  if (raw.length < frameBytes) return null;
  const n = rows * columns;
  const values = new Float32Array(n);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const { rescaleSlope: slope, rescaleIntercept: intercept } = info;
  if (samplesPerPixel === 3 && bitsAllocated === 8) {
    const planar = info.planarConfiguration === 1;
    for (let i = 0; i < n; i++) {
      const r = planar ? (raw[i] as number) : (raw[i * 3] as number);
      const g = planar ? (raw[n + i] as number) : (raw[i * 3 + 1] as number);
      const b = planar ? (raw[2 * n + i] as number) : (raw[i * 3 + 2] as number);
      values[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    }
  } else if (samplesPerPixel === 1 && bitsAllocated === 16) {
    const signed = info.pixelRepresentation === 1;
    for (let i = 0; i < n; i++) {
      const v = signed ? view.getInt16(i * 2, !bigEndian) : view.getUint16(i * 2, !bigEndian);
      values[i] = v * slope + intercept;
    }
  } else if (samplesPerPixel === 1 && bitsAllocated === 8) {
    for (let i = 0; i < n; i++) values[i] = (raw[i] as number) * slope + intercept;
  } else {
    return null;
  }
  if (info.photometric === 'MONOCHROME1') {
    let max = -Infinity;
    for (const v of values) max = Math.max(max, v);
    for (let i = 0; i < n; i++) values[i] = max - (values[i] as number);
  }
  return { width: columns, height: rows, values };
}

/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, each segment
 * PackBits-coded, one segment per byte plane (most significant first) per sample.
 */
export function decodeRle(data: Uint8Array, pixels: number, samples: number, bitsAllocated: number): Uint8Array | null {
  if (data.length < 64) return null;
  const header = new DataView(data.buffer, data.byteOffset, 64);
  const segments = header.getUint32(0, true);
  const bytesPerSample = bitsAllocated / 8;
  if (segments !== samples * bytesPerSample || segments > 15) return null;
  const out = new Uint8Array(pixels * samples * bytesPerSample);
  for (let s = 0; s < segments; s++) {
    const start = header.getUint32(4 + s * 4, true);
    const end = s + 1 < segments ? header.getUint32(8 + s * 4, true) : data.length;
    if (start < 64 || start > data.length || end > data.length || end < start) return null;
    const sample = Math.floor(s / bytesPerSample);
    // Byte planes are most significant first; the output is little endian per sample.
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    let p = start;
    let i = 0;
    const stride = samples * bytesPerSample;
    const offset = sample * bytesPerSample + byteInSample;
    while (p < end && i < pixels) {
      const n = (data[p++] as number) << 24 >> 24;
      if (n >= 0) {
        for (let k = 0; k <= n && i < pixels && p < end; k++) out[i++ * stride + offset] = data[p++] as number;
      } else if (n !== -128) {
        const value = data[p++] as number;
        for (let k = 0; k < 1 - n && i < pixels; k++) out[i++ * stride + offset] = value;
      }
    }
    if (i < pixels) return null;
  }
  return out;
}

/** Area-averaged resize of luminance to w × h. */
export function resize(src: Luminance, w: number, h: number): Float32Array {
  const values = src.values;
  const sw = src.width;
  const sh = src.height;
  if (w === sw && h === sh) return Float32Array.from(values.subarray(0, w * h));
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * sh) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * sh) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * sw) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * sw) / w));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) {
        const row = yy * sw;
        for (let xx = x0; xx < x1; xx++) sum += values[row + xx] as number;
      }
      out[y * w + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/**
 * Difference hash (64 bits as 16 hex digits): the image shrunk to 9 × 8, each bit says whether
 * a cell is brighter than its right neighbour. Re-encodings of the same pixels (implicit vs
 * explicit VR, RLE, big endian) give the same hash; small edits change few bits.
 */
export function differenceHash(src: Luminance): string {
  const small = resize(src, 9, 8);
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) {
      byte = (byte << 1) | ((small[y * 9 + x] as number) > (small[y * 9 + x + 1] as number) ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

export function hammingDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < a.length; i += 2) {
    let x = Number.parseInt(a.slice(i, i + 2), 16) ^ Number.parseInt(b.slice(i, i + 2), 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

/** 8-bit grey thumbnail (longest side `size`), windowed to the 1st-99th percentile of values. */
export function thumbnail(src: Luminance, size = 128): { width: number; height: number; pixels: Uint8Array } {
  const scale = size / Math.max(src.width, src.height);
  const width = Math.max(1, Math.round(src.width * Math.min(1, scale)));
  const height = Math.max(1, Math.round(src.height * Math.min(1, scale)));
  const small = resize(src, width, height);
  const [lo = 0, hi = 1] = kthSmallestPair(small, Math.floor(small.length * 0.01), Math.min(small.length - 1, Math.floor(small.length * 0.99)));
  const range = hi - lo || 1;
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < small.length; i++) pixels[i] = Math.max(0, Math.min(255, Math.round((((small[i] as number) - lo) / range) * 255)));
  return { width, height, pixels };
}

/**
 * The k-th smallest value (0-based), as `Float32Array.from(values).sort()[k]` would give, in
 * linear expected time (quickselect on a copy) instead of a full sort.
 */
export function kthSmallest(values: Float32Array, k: number): number | undefined {
  return kthSmallestPair(values, k, k)[0];
}

/** The k1-th and k2-th smallest values (k1 ≤ k2) of one copy, as a sort would give them. */
export function kthSmallestPair(values: Float32Array, k1: number, k2: number): [number | undefined, number | undefined] {
  if (k1 < 0 || k2 >= values.length || k1 > k2) return [undefined, undefined];
  const a = Float32Array.from(values);
  // NaN has no place in a selection by comparison: use the sort's order (NaN last).
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i])) {
      a.sort();
      return [a[k1], a[k2]];
    }
  }
  select(a, 0, a.length - 1, k1);
  // After selecting k1, everything from k1 on is ≥ a[k1]: k2 is found in that part.
  select(a, k1, a.length - 1, k2);
  return [a[k1], a[k2]];
}

/** Quickselect (Hoare partition): puts the k-th smallest of a[left..right] at a[k]. */
function select(a: Float32Array, left: number, right: number, k: number): void {
  while (left < right) {
    const pivot = a[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}
