import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COMMON_TAG_KEYS } from './tags';

interface Props {
  readonly tagKeys: readonly string[];
  readonly chosen: readonly string[];
  readonly onToggle: (key: string) => void;
}

/** Adds a column for any source tag key beyond the common ones. Escape or a click outside closes it. */
export function ColumnChooser({ tagKeys, chosen, onToggle }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const keys = tagKeys.filter((k) => !(COMMON_TAG_KEYS as readonly string[]).includes(k));

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onDown = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [open]);

  return (
    <div className="popover-anchor" ref={box}>
      <button type="button" className="btn" aria-expanded={open} data-testid="browser-columns" onClick={() => setOpen(!open)}>
        {t('data.browser.columns')}
      </button>
      {open && (
        <div className="popover card" data-testid="browser-columns-menu">
          {keys.length === 0 && <p className="muted">{t('data.browser.noMoreColumns')}</p>}
          {keys.map((k) => (
            <label className="check" key={k}>
              <input type="checkbox" data-testid={`column-${k}`} checked={chosen.includes(k)} onChange={() => onToggle(k)} />
              {k}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}
