import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDuplicatesStore } from './duplicates-store';
import { ThumbnailCache } from './thumbnail-cache';
import { Thumbnail } from './Thumbnail';

/** Pairs of images whose rendered pixels look alike (perceptual hash distance). */
export function DuplicatesPanel() {
  const { t } = useTranslation();
  const pairs = useDuplicatesStore((s) => s.pairs);
  const loading = useDuplicatesStore((s) => s.loading);
  const maxDistance = useDuplicatesStore((s) => s.maxDistance);
  const [distance, setDistance] = useState(String(maxDistance));
  const [cache] = useState(() => new ThumbnailCache());

  useEffect(() => {
    void useDuplicatesStore.getState().load();
    return () => cache.dispose();
  }, [cache]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const d = Math.min(16, Math.max(0, Math.round(Number(distance) || 0)));
    setDistance(String(d));
    void useDuplicatesStore.getState().load(d);
  };

  return (
    <section className="panel-fill duplicates" data-testid="data-duplicates">
      <form className="form form-inline duplicates-form" onSubmit={submit}>
        <label className="field">
          <span>{t('data.duplicates.maxDistance')}</span>
          <input data-testid="duplicates-distance" type="number" min={0} max={16} value={distance} onChange={(e) => setDistance(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="duplicates-find" disabled={loading}>
          {t('data.duplicates.find')}
        </button>
      </form>
      <p className="muted">{t('data.duplicates.hint')}</p>
      {pairs && pairs.length === 0 && <p className="notice notice-info">{t('data.duplicates.none')}</p>}
      <ul className="pair-list" data-testid="duplicates-list">
        {pairs?.map((p) => (
          <li key={`${p.imageId}-${p.otherId}`} className="pair card" data-testid="duplicate-pair">
            <figure>
              <Thumbnail cache={cache} id={p.imageId} available alt={p.imageName} />
              <figcaption>
                #{p.imageId} {p.imageName}
              </figcaption>
            </figure>
            <div className="pair-distance" data-testid="duplicate-distance">
              {t('data.duplicates.distance', { distance: p.distance })}
            </div>
            <figure>
              <Thumbnail cache={cache} id={p.otherId} available alt={p.otherName} />
              <figcaption>
                #{p.otherId} {p.otherName}
              </figcaption>
            </figure>
          </li>
        ))}
      </ul>
    </section>
  );
}
