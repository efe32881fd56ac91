import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuthStore } from '../auth/auth-store';
import { MatricesPanel } from './MatricesPanel';
import { RankingPanel } from './RankingPanel';
import './quant.css';

type Tab = 'matrices' | 'ranking';

/**
 * Quantified labels (DESIGN §2.6): quantified-label users define value matrices and link them to
 * standards; engineers read them and rank a run's images by value. What is shown follows the
 * roles; main checks every call.
 */
export function QuantModule() {
  const { t } = useTranslation();
  const roles = useAuthStore((s) => s.session?.roles ?? []);
  const canEdit = roles.includes('quant_user');
  const canRank = roles.includes('algo_engineer') || roles.includes('algo_admin');
  const tabs: Tab[] = canRank ? ['matrices', 'ranking'] : ['matrices'];
  const [tab, setTab] = useState<Tab>(canRank && !canEdit ? 'ranking' : 'matrices');
  return (
    <section className="module quant-module" data-testid="module-quant">
      <div className="tabs" role="tablist">
        {tabs.map((id) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={`tab${tab === id ? ' active' : ''}`} data-testid={`quant-tab-${id}`} onClick={() => setTab(id)}>
            {t(`quant.tabs.${id}`)}
          </button>
        ))}
      </div>
      <div className="tab-panel">{tab === 'matrices' ? <MatricesPanel canEdit={canEdit} /> : <RankingPanel />}</div>
    </section>
  );
}
