import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { viewerService } from './viewer-service';
import { useViewerStore } from './viewer-store';
import './viewer.css';

/**
 * The host element of the Cornerstone viewport (HOUSE-STYLE 17). It owns no engine state: it
 * hands its element to the viewer service on mount and takes it back on unmount, and shows
 * the service's status (loading, or why an image cannot be shown) over the canvas.
 */
export function Viewport() {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const status = useViewerStore((s) => s.status);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    void viewerService.attach(element);
    const observer = new ResizeObserver(() => viewerService.resize());
    observer.observe(element);
    return () => {
      // Order: stop resize callbacks first (they would redraw a disabled element), then let the
      // service flush pending edits and disable the element.
      observer.disconnect();
      viewerService.detach(element);
    };
  }, []);

  return (
    <div className="viewport-frame" data-testid="viewport">
      <div ref={ref} className="viewport-element" data-testid="viewport-element" data-status={status.state} />
      {status.state === 'loading' && (
        <div className="viewport-overlay viewport-loading" data-testid="viewport-loading">
          {t('viewer.loading')}
        </div>
      )}
      {status.state === 'idle' && (
        <div className="viewport-overlay" data-testid="viewport-empty">
          {t('viewer.noImage')}
        </div>
      )}
      {status.state === 'unavailable' && (
        <div className="viewport-overlay viewport-unavailable" role="alert" data-testid="viewport-unavailable" data-reason={status.reason}>
          <strong>{t(`viewer.unavailable.${status.reason}`)}</strong>
          <span className="viewport-detail">{status.detail}</span>
        </div>
      )}
    </div>
  );
}
