// Shorthand declarations for the legacy Cornerstone libraries that ship no types (STACK-NOTES §3).
// A script file (no import/export), so these are global ambient module declarations. The
// viewer service is the only code that touches them and narrows what it uses in
// `cornerstone-types.ts`.
declare module 'cornerstone-tools';
declare module 'cornerstone-math';
declare module 'cornerstone-wado-image-loader';
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs';
declare module '@cornerstonejs/codec-charls/decodewasmjs';
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasm?url' {
  const url: string;
  export default url;
}
declare module '@cornerstonejs/codec-charls/decodewasm?url' {
  const url: string;
  export default url;
}
