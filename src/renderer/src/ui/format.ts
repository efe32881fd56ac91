/** Local date and time in the UI language; ISO strings from main are UTC. */
export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(language, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A lock is current while its end lies in the future. */
export function isLocked(lockedUntil: string | null, now: number = Date.now()): boolean {
  return lockedUntil !== null && Date.parse(lockedUntil) > now;
}
