import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { TagFlowPanel } from './TagFlowPanel';

interface Props {
  readonly imageId: number;
  readonly onClose: () => void;
}

/**
 * The tag-flow panel as a drawer on the right edge, for screens without room for a side column
 * (the data browser). Escape closes it.
 */
export function TagFlowDrawer({ imageId, onClose }: Props) {
  const { t } = useTranslation();
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close.current();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <aside className="tagflow-drawer card" data-testid="tagflow-drawer" aria-label={t('tagflow.title')}>
      <div className="tagflow-drawer-bar">
        <strong>{t('tagflow.title')}</strong>
        <button type="button" className="btn btn-small" data-testid="tagflow-drawer-close" onClick={onClose}>
          {t('tagflow.close')}
        </button>
      </div>
      <TagFlowPanel imageId={imageId} />
    </aside>
  );
}
