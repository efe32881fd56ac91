/** Tag keys as the contract accepts them (src/shared/contract/images.ts). */
export const TAG_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/** The source tags most files carry, shown as columns of the data browser by default. */
export const COMMON_TAG_KEYS = ['modality', 'institution', 'manufacturer', 'model', 'body_part', 'acquisition_datetime', 'patient_id'] as const;

export interface TagRow {
  readonly key: string;
  readonly value: string;
}

export type TagRowsResult = { readonly ok: true; readonly tags: Record<string, string> } | { readonly ok: false; readonly badKeys: string[] };

/** key=value rows as typed: blank rows are skipped; keys the contract would refuse are named. */
export function tagsFromRows(rows: readonly TagRow[]): TagRowsResult {
  const tags: Record<string, string> = {};
  const badKeys: string[] = [];
  for (const row of rows) {
    const key = row.key.trim();
    if (!key && !row.value.trim()) continue;
    if (!TAG_KEY.test(key)) badKeys.push(key || '""');
    else tags[key] = row.value.trim();
  }
  return badKeys.length ? { ok: false, badKeys } : { ok: true, tags };
}

/** One absolute path per line; blank lines and surrounding spaces ignored, repeats dropped. */
export function parsePaths(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean))];
}
