import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ThumbCache } from '../thumbs';

/** An image's thumbnail, fetched when the tile first shows. */
export function Thumb({ cache, id, available, alt }: { cache: ThumbCache; id: number; available: boolean; alt: string }) {
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
      <span className="drill-thumb drill-thumb-empty" title={url === null ? t('results.drill.noThumbnail') : undefined}>
        {url === null ? '—' : '…'}
      </span>
    );
  }
  return <img className="drill-thumb" src={url} alt={alt} />;
}
