export * from './matrix';
export * from './score';
