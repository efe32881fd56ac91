import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ThumbnailCache } from './thumbnail-cache';

interface Props {
  readonly cache: ThumbnailCache;
  readonly id: number;
  readonly available: boolean;
  readonly alt: string;
}

/** An image's thumbnail, fetched when this element first shows (grid rows render only when visible). */
export function Thumbnail({ cache, id, available, alt }: Props) {
  const { t } = useTranslation();
  // undefined while loading, null when there is none.
  const [url, setUrl] = useState<string | null | undefined>(available ? undefined : null);
  useEffect(() => {
    if (!available) return;
    let live = true;
    void cache.get(id).then((u) => live && setUrl(u));
    return () => {
      live = false;
    };
  }, [cache, id, available]);
  if (!url) {
    return (
      <span className="thumb thumb-empty" title={url === null ? t('data.browser.noThumbnail') : undefined} data-testid="thumb-empty">
        {url === null ? '—' : '…'}
      </span>
    );
  }
  return <img className="thumb" src={url} alt={alt} data-testid="thumb" />;
}
