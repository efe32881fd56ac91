import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunCurves } from '../../../../../shared/contract';
import type { ErrorData } from '../../../../../shared/errors';
import type { CurvePoint } from '../../../../../shared/metrics/curves';
import { inlineError } from '../../../core/inline-error';
import { ErrorBanner } from '../../../ui/ErrorBanner';
import { resultsApi } from '../api';
import { ClassCurves } from '../charts/ClassCurves';

interface Props {
  readonly runId: number;
  /** The snapshot the curves belong to: a new one refetches them. */
  readonly snapshotHash: string | null;
  readonly onPoint: (className: string, point: CurvePoint) => void;
}

/** The ROC/PR curves of a classification run, fetched from its stored per-image outcomes. */
export function RunCurvesPanel({ runId, snapshotHash, onPoint }: Props) {
  const { t } = useTranslation();
  const [curves, setCurves] = useState<RunCurves | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  useEffect(() => {
    let live = true;
    void resultsApi.curves(runId).then((r) => {
      if (!live) return;
      if (r.ok) {
        setCurves(r.value);
        setError(null);
      } else setError(inlineError(r));
    });
    return () => {
      live = false;
    };
  }, [runId, snapshotHash]);

  if (error) return <ErrorBanner error={error} testId="run-curves-error" onDismiss={() => setError(null)} />;
  if (!curves || curves.runId !== runId) return null;
  if (Object.keys(curves.classes).length === 0) {
    return (
      <p className="hint" data-testid="run-no-curves">
        {t('results.charts.noRoc')}
      </p>
    );
  }
  return <ClassCurves curves={curves.classes} onPoint={onPoint} />;
}
