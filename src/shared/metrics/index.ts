export * from './auc';
export * from './classification';
export * from './detection';
export * from './geometry';
export * from './input';
export * from './ratio';
export * from './curves';
