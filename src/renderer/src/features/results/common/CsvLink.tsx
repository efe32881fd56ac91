import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { csvFileName, toCsv, type CsvValue } from '../csv';

interface Props {
  readonly name: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly CsvValue[])[];
  readonly testId: string;
}

/**
 * A grid as a CSV file, offered as a blob: download link (the file is built here; nothing goes
 * through main). Electron saves it through its download path (the session guard lets blob: URLs
 * of our own origin through); the Chromium test host refuses downloads (acceptDownloads: false),
 * so there the link's blob can only be read back.
 */
export function CsvLink({ name, headers, rows, testId }: Props) {
  const { t } = useTranslation();
  const csv = useMemo(() => toCsv(headers, rows), [headers, rows]);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const created = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [csv]);
  if (!url) return null;
  return (
    <a className="btn csv-link" href={url} download={csvFileName(name)} data-testid={testId} data-rows={rows.length}>
      {t('results.exportCsv')}
    </a>
  );
}
