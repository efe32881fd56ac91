/** Pure labeling domain code (HOUSE-STYLE 4): no Electron, no Node, no DOM. */
export * from './export';
export * from './geometry';
export * from './ground-truth';
export * from './marks';
export * from './quality';
export * from './schema';
export * from './tickets';
