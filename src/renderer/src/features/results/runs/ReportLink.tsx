import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorData } from '../../../../../shared/errors';
import { inlineError } from '../../../core/inline-error';
import { ErrorBanner } from '../../../ui/ErrorBanner';
import { resultsApi } from '../api';

/**
 * The run report (issue 6 item 8): main renders one self-contained HTML document (inline CSS
 * and SVG, no script); here it becomes a blob: download link, never a page to navigate to
 * (the window may only show the app's own origin).
 */
export function ReportLink({ runId }: { runId: number }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<{ url: string; name: string } | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => () => void (file && URL.revokeObjectURL(file.url)), [file]);

  const make = async () => {
    setBusy(true);
    const result = await resultsApi.report(runId);
    setBusy(false);
    if (!result.ok) {
      setError(inlineError(result));
      return;
    }
    setError(null);
    setFile({ url: URL.createObjectURL(new Blob([result.value.html], { type: 'text/html;charset=utf-8' })), name: result.value.fileName });
  };

  return (
    <span className="report-link">
      {file ? (
        <a className="btn" href={file.url} download={file.name} data-testid="run-report-link">
          {t('results.report.save', { name: file.name })}
        </a>
      ) : (
        <button type="button" className="btn" data-testid="run-report" disabled={busy} onClick={() => void make()}>
          {busy ? t('results.loading') : t('results.report.make')}
        </button>
      )}
      {error && <ErrorBanner error={error} testId="run-report-error" onDismiss={() => setError(null)} />}
    </span>
  );
}
