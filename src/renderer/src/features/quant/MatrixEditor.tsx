import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuantMatrixView } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { formatDateTime } from '../../ui/format';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { HeatmapPreview } from './HeatmapPreview';
import { cellText, effectiveGrid, emptyForm, formFromMatrix, formProblems, formToRequest, MISSED_COLUMN, setCell, type FormProblem, type MatrixForm } from './matrix-form';
import { useQuantStore } from './quant-store';

interface Props {
  /** The newest version of the matrix, or null for a new one. */
  readonly matrix: QuantMatrixView | null;
  readonly canEdit: boolean;
}

/** The value-matrix editor: rows true class, columns predicted class + missed; empty cells take the default. */
export function MatrixEditor({ matrix, canEdit }: Props) {
  const { t, i18n } = useTranslation();
  const save = useQuantStore((s) => s.save);
  const [form, setForm] = useState<MatrixForm>(() => (matrix ? formFromMatrix(matrix) : emptyForm()));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorData | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const editable = canEdit && (matrix === null || matrix.status === 'active');
  const problems = formProblems(form);
  const grid = useMemo(() => effectiveGrid(form), [form]);
  const bad = new Set(problems.filter((p): p is Extract<FormProblem, { kind: 'cell' }> => p.kind === 'cell').map((p) => `${p.trueClass}\u0000${p.predicted}`));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || problems.length > 0) return;
    setBusy(true);
    setError(null);
    setDone(null);
    const outcome = await save(formToRequest(form));
    setBusy(false);
    if (outcome.ok) setDone(outcome.newVersion ? t('quant.editor.savedVersion', { version: outcome.newVersion }) : t('quant.editor.saved'));
    else setError(outcome.error);
  };

  const title = matrix === null ? t('quant.editor.createTitle') : t(editable ? 'quant.editor.editTitle' : 'quant.editor.viewTitle', { name: matrix.name, version: matrix.version });
  return (
    <form className="form card quant-editor" onSubmit={(e) => void submit(e)} data-testid="quant-editor">
      <h3>{title}</h3>
      {matrix?.status === 'disabled' && <p className="notice notice-warn" data-testid="quant-disabled-notice">{t('quant.editor.disabled')}</p>}
      {matrix?.status === 'superseded' && <p className="notice notice-info">{t('quant.editor.superseded')}</p>}
      {editable && matrix && (
        <p className="hint" data-testid="quant-version-hint">
          {matrix.usedAt ? t('quant.editor.versionHint', { date: formatDateTime(matrix.usedAt, i18n.language), next: matrix.version + 1 }) : t('quant.editor.inPlaceHint')}
        </p>
      )}
      <fieldset disabled={!editable} className="quant-fields">
        <div className="form-row">
          <label className="field">
            <span>{t('quant.editor.name')}</span>
            <input data-testid="quant-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label className="field">
            <span>{t('quant.editor.defaultValue')}</span>
            <input data-testid="quant-default" inputMode="decimal" aria-invalid={problems.some((p) => p.kind === 'default')} value={form.defaultValue} onChange={(e) => setForm({ ...form, defaultValue: e.target.value })} />
          </label>
        </div>
        <label className="field">
          <span>{t('quant.editor.description')}</span>
          <textarea data-testid="quant-description" rows={2} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('quant.editor.classes')}</span>
          <input data-testid="quant-classes" value={form.classesText} onChange={(e) => setForm({ ...form, classesText: e.target.value })} />
        </label>
        {grid.classes.length > 0 && (
          <div className="quant-grid-wrap">
            <span className="quant-grid-title">{t('quant.editor.grid')}</span>
            <table className="quant-grid" data-testid="quant-grid">
              <thead>
                <tr>
                  <th scope="col">{t('quant.editor.truePredicted')}</th>
                  {grid.columns.map((c) => (
                    <th key={c} scope="col" className={c === MISSED_COLUMN ? 'quant-missed-col' : undefined}>
                      {c === MISSED_COLUMN ? t('quant.editor.missed') : c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {grid.classes.map((row) => (
                  <tr key={row}>
                    <th scope="row">{row}</th>
                    {grid.columns.map((col) => (
                      <td key={col}>
                        <input
                          data-testid={`quant-cell-${row}-${col}`}
                          inputMode="decimal"
                          aria-label={`${row} → ${col}`}
                          aria-invalid={bad.has(`${row}\u0000${col}`)}
                          className={bad.has(`${row}\u0000${col}`) ? 'quant-cell invalid' : 'quant-cell'}
                          placeholder={t('quant.editor.emptyCell')}
                          value={cellText(form, row, col)}
                          onChange={(e) => setForm(setCell(form, row, col, e.target.value))}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </fieldset>
      {grid.classes.length > 0 && <HeatmapPreview classes={grid.classes} columns={grid.columns} values={grid.values} defaulted={grid.defaulted} />}
      {editable && problems.length > 0 && (
        <ul className="problems" data-testid="quant-problems">
          {problems.map((p, i) => (
            <li key={i}>{t(`quant.editor.problems.${p.kind}`, p)}</li>
          ))}
        </ul>
      )}
      {error && <ErrorBanner error={error} testId="quant-save-error" onDismiss={() => setError(null)} />}
      {done && (
        <p className="notice notice-ok" role="status" data-testid="quant-saved">
          {done}
        </p>
      )}
      {editable && (
        <button type="submit" className="btn btn-primary" data-testid="quant-save" disabled={busy || problems.length > 0}>
          {busy ? t('quant.editor.saving') : t('quant.editor.save')}
        </button>
      )}
    </form>
  );
}
