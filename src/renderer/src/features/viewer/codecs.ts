/**
 * JPEG 2000 and JPEG-LS through the standalone @cornerstonejs codec builds. The builds inside
 * the wado loader use embind's `new Function`, which our CSP ('wasm-unsafe-eval' only, no
 * 'unsafe-eval') refuses; these do not (STACK-NOTES §3). Loaded on first use only: most
 * images never need them.
 */

export const JPEG2000_SYNTAXES = ['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91'];
export const JPEGLS_SYNTAXES = ['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81'];

export function needsStandaloneCodec(transferSyntax: string | null): boolean {
  return transferSyntax !== null && (JPEG2000_SYNTAXES.includes(transferSyntax) || JPEGLS_SYNTAXES.includes(transferSyntax));
}

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}

interface CodecModule {
  J2KDecoder?: new () => WasmDecoder;
  JpegLSDecoder?: new () => WasmDecoder;
}

let openjpeg: Promise<CodecModule> | null = null;
let charls: Promise<CodecModule> | null = null;

async function loadOpenJpeg(): Promise<CodecModule> {
  const [{ default: factory }, { default: wasmUrl }] = await Promise.all([
    import('@cornerstonejs/codec-openjpeg/decodewasmjs'),
    import('@cornerstonejs/codec-openjpeg/decodewasm?url'),
  ]);
  return (factory as (o: object) => Promise<CodecModule>)({ locateFile: (f: string) => (f.endsWith('.wasm') ? wasmUrl : f) });
}

async function loadCharls(): Promise<CodecModule> {
  const [{ default: factory }, { default: wasmUrl }] = await Promise.all([
    import('@cornerstonejs/codec-charls/decodewasmjs'),
    import('@cornerstonejs/codec-charls/decodewasm?url'),
  ]);
  return (factory as (o: object) => Promise<CodecModule>)({ locateFile: (f: string) => (f.endsWith('.wasm') ? wasmUrl : f) });
}

/** Decodes one encapsulated frame to native little-endian pixel bytes (a fresh, aligned buffer). */
export async function decodeWithStandaloneCodec(transferSyntax: string, encoded: Uint8Array): Promise<Uint8Array> {
  let decoder: WasmDecoder;
  if (JPEG2000_SYNTAXES.includes(transferSyntax)) {
    const codec = await (openjpeg ??= loadOpenJpeg());
    if (!codec.J2KDecoder) throw new Error('OpenJPEG codec has no J2KDecoder');
    decoder = new codec.J2KDecoder();
  } else {
    const codec = await (charls ??= loadCharls());
    if (!codec.JpegLSDecoder) throw new Error('CharLS codec has no JpegLSDecoder');
    decoder = new codec.JpegLSDecoder();
  }
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    // Copy out of the WASM heap: the view dies with the decoder.
    return new Uint8Array(decoder.getDecodedBuffer());
  } finally {
    decoder.delete();
  }
}
