// Chromium host entry: filled in by the Chromium host work.
export {};
