import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  readonly title: string;
  readonly onClose: () => void;
  readonly testId: string;
  readonly children: ReactNode;
}

/**
 * A modal panel: Escape or a click on the backdrop closes it, focus moves into it on open and
 * back to where it was on close.
 */
export function Dialog({ title, onClose, testId, children }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    box.current?.querySelector<HTMLElement>('input:not([disabled]), textarea, select, button[type="submit"]')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus();
    };
  }, []);

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={box} className="dialog card" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testId}>
        <div className="dialog-head">
          <h3 id={titleId}>{title}</h3>
          <button type="button" className="btn-icon" onClick={onClose} aria-label={t('data.dialog.close')} title={t('data.dialog.close')}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
