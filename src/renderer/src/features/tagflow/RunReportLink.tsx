import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { valueOrReport } from '../../core/result';
import { tagflowApi } from './api';

/**
 * The run report (HTML, self-contained) for a run: built in main on click, then offered as a
 * blob: download link (nothing leaves the machine; Electron saves it through its download path).
 */
export function RunReportLink({ runId }: { runId: number }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<{ url: string; name: string } | null>(null);
  useEffect(
    () => () => {
      if (file) URL.revokeObjectURL(file.url);
    },
    [file],
  );
  useEffect(() => {
    setFile(null);
  }, [runId]);

  const make = async () => {
    setBusy(true);
    const report = valueOrReport(await tagflowApi.report({ runId, lang: i18n.language === 'zh-CN' ? 'zh-CN' : 'en' }));
    setBusy(false);
    if (report) setFile({ url: URL.createObjectURL(new Blob([report.html], { type: 'text/html;charset=utf-8' })), name: report.fileName });
  };

  return (
    <span className="button-row">
      <button type="button" className="btn" data-testid="run-report-make" disabled={busy} onClick={() => void make()}>
        {busy ? t('tagflow.report.making') : t('tagflow.report.make')}
      </button>
      {file && (
        <a className="btn btn-ghost" href={file.url} download={file.name} data-testid="run-report-save">
          {t('tagflow.report.save', { name: file.name })}
        </a>
      )}
    </span>
  );
}
