import { useTranslation } from 'react-i18next';
import type { ImportReport } from '../../../../../shared/contract';
import { CsvLink } from '../common/CsvLink';

/** Every problem of a refused (or partly imported) file, by line and field: what to fix. */
export function ProblemReport({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  return (
    <div className="problem-report" data-testid="problem-report">
      <div className="toolbar">
        <span className="muted">
          {t('results.problems.summary', { file: report.file, total: report.rowsTotal, accepted: report.rowsAccepted, count: report.problems.length })}
        </span>
        <CsvLink
          name={`${report.file} problems`}
          testId="problems-csv"
          headers={['file', 'line', 'field', 'problem']}
          rows={report.problems.map((p) => [p.file, p.line, p.field, p.problem])}
        />
      </div>
      <div className="problem-scroll">
        <table className="plain-table">
          <thead>
            <tr>
              <th>{t('results.problems.line')}</th>
              <th>{t('results.problems.field')}</th>
              <th>{t('results.problems.problem')}</th>
            </tr>
          </thead>
          <tbody>
            {report.problems.map((p, i) => (
              <tr key={i} data-testid="problem-row">
                <td>{p.line ?? t('results.problems.wholeFile')}</td>
                <td>{p.field ?? '—'}</td>
                <td>{p.problem}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
