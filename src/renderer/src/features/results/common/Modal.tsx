import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Open modals, newest last: only the top one answers Escape. */
const open: symbol[] = [];

interface Props {
  readonly title: string;
  readonly onClose: () => void;
  readonly testId: string;
  readonly wide?: boolean;
  readonly children: ReactNode;
}

/**
 * A modal panel of the results feature: Escape or a click on the backdrop closes it; focus
 * moves in on open and back on close. Stacked modals (an image over its drill-down) close one
 * at a time: only the newest answers Escape.
 */
export function Modal({ title, onClose, testId, wide, children }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    box.current?.querySelector<HTMLElement>('input:not([disabled]), select, textarea, button')?.focus();
    const me = Symbol('modal');
    open.push(me);
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || open[open.length - 1] !== me) return;
      e.preventDefault();
      e.stopPropagation();
      close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      open.splice(open.indexOf(me), 1);
      previous?.focus();
    };
  }, []);

  return (
    <div className="results-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={box} className={`card results-dialog${wide ? ' results-dialog-wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testId}>
        <div className="results-dialog-head">
          <h3 id={titleId}>{title}</h3>
          <button type="button" className="btn-icon" onClick={onClose} aria-label={t('results.close')} title={t('results.close')} data-testid={`${testId}-close`}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
