import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeakageReason, LeakageReport } from '../../../../../shared/contract';
import { Modal } from '../common/Modal';

const REASONS: readonly LeakageReason[] = ['identical', 'sopInstance', 'series', 'patient', 'nearDuplicate'];

interface Props {
  readonly report: LeakageReport;
  readonly busy: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/**
 * The test set overlaps the model's training sets (DESIGN §2.3): the person sees each overlap
 * and must tick that they have seen it before the run can be recorded; or goes back to fix it.
 */
export function LeakageDialog({ report, busy, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  const [seen, setSeen] = useState(false);
  return (
    <Modal title={t('results.leakage.title')} onClose={onCancel} testId="leakage-dialog" wide>
      <p className="notice notice-warn" data-testid="leakage-summary">
        {t('results.leakage.summary', { count: report.testImageIds.length, sets: report.trainingSets.map((s) => `${s.name} v${s.version}`).join(', ') })}
      </p>
      <div className="leakage-reasons">
        {REASONS.filter((r) => report.reasons[r].length > 0).map((reason) => (
          <details key={reason} open data-testid={`leakage-${reason}`}>
            <summary>
              {t(`results.leakage.reasons.${reason}`)} ({report.reasons[reason].length})
            </summary>
            <table className="plain-table">
              <thead>
                <tr>
                  <th>{t('results.leakage.testImage')}</th>
                  <th>{t('results.leakage.trainingImage')}</th>
                  <th>{t('results.leakage.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {report.reasons[reason].slice(0, 200).map((p) => (
                  <tr key={`${p.testImageId}-${p.trainingImageId}`}>
                    <td>#{p.testImageId}</td>
                    <td>#{p.trainingImageId}</td>
                    <td>{p.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {report.reasons[reason].length > 200 && <p className="muted">{t('results.leakage.more', { count: report.reasons[reason].length - 200 })}</p>}
          </details>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" data-testid="leakage-seen" checked={seen} onChange={(e) => setSeen(e.target.checked)} />
        {t('results.leakage.seen')}
      </label>
      <div className="button-row">
        <button type="button" className="btn" data-testid="leakage-cancel" onClick={onCancel}>
          {t('results.leakage.fix')}
        </button>
        <button type="button" className="btn btn-danger" data-testid="leakage-confirm" disabled={!seen || busy} onClick={onConfirm}>
          {t('results.leakage.confirm')}
        </button>
      </div>
    </Modal>
  );
}
