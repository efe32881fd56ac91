// Electron host: filled in by the Electron host work.
export {};
