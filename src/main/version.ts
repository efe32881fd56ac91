/** Injected at build time by electron-vite's `define`; the package version in tests. */
declare const __MIDC_VERSION__: string | undefined;
export const APP_VERSION: string = typeof __MIDC_VERSION__ === 'string' ? __MIDC_VERSION__ : '0.0.0-dev';
