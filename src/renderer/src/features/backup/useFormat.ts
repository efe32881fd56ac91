import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/format';
import { ageText, durationText, formatBytes } from './backup-model';

/** The module's figures in the current language. */
export function useFormat() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return {
    bytes: (n: number | null | undefined) => formatBytes(n, lang),
    duration: (ms: number | null | undefined) => {
      if (ms === null || ms === undefined) return '';
      const d = durationText(ms);
      return t(d.key, d.params);
    },
    age: (hours: number) => {
      const a = ageText(hours);
      return t(a.key, { value: a.value });
    },
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, lang),
  };
}
