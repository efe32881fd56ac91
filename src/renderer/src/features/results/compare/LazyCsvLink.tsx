import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { csvFileName, toCsv, type CsvValue } from '../csv';

interface Props {
  readonly name: string;
  /** Builds the file's header and rows when asked (a 100k-row table is not built on every render). */
  readonly build: () => { headers: readonly string[]; rows: readonly (readonly CsvValue[])[] };
  /** How many rows the file will have. */
  readonly rowCount: number;
  readonly testId: string;
}

/**
 * CSV export of a large grid: the file is built only when the button is pressed, then offered as
 * a blob: download link that is followed at once (the link, `${testId}-file`, stays until the
 * rows change, so the file can be read back where downloads are refused, as in the Chromium host).
 */
export function LazyCsvLink({ name, build, rowCount, testId }: Props) {
  const { t } = useTranslation();
  const [file, setFile] = useState<{ url: string; rows: number } | null>(null);
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    setFile(null);
  }, [build]);
  useEffect(() => {
    if (!file) return;
    link.current?.click();
    return () => URL.revokeObjectURL(file.url);
  }, [file]);
  const make = () => {
    const { headers, rows } = build();
    setFile({ url: URL.createObjectURL(new Blob([toCsv(headers, rows)], { type: 'text/csv;charset=utf-8' })), rows: rows.length });
  };
  return (
    <>
      <button type="button" className="btn csv-link" data-testid={testId} data-rows={rowCount} onClick={make}>
        {t('results.exportCsv')}
      </button>
      {file && (
        <a ref={link} hidden href={file.url} download={csvFileName(name)} data-testid={`${testId}-file`} data-rows={file.rows}>
          {t('results.exportCsv')}
        </a>
      )}
    </>
  );
}
