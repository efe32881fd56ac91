/**
 * A byte count for messages: `1.5 MiB`. In its own module, not in roots.ts: `midc backup run`
 * prints sizes and would otherwise load the storage-roots code (and its mount table parser)
 * on every run for this one function.
 */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}
