import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { quantApi } from './api';

type Bytes = Uint8Array | ArrayBuffer | readonly number[];

function toUrl(bytes: Bytes): string {
  const array = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : Uint8Array.from(bytes);
  // A copy into a fresh ArrayBuffer: Blob wants plain (non-shared) buffers. The CSP allows img-src blob:.
  return URL.createObjectURL(new Blob([array.slice()], { type: 'image/png' }));
}

/** An image's thumbnail (images:thumbnail) as a blob: URL, freed on unmount. */
export function Thumb({ imageId, alt }: { readonly imageId: number; readonly alt: string }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let created: string | null = null;
    let live = true;
    void quantApi.thumbnail(imageId).then((r) => {
      if (!live) return;
      if (r.ok && r.value) {
        created = toUrl(r.value as Bytes);
        setUrl(created);
      } else setFailed(true);
    });
    return () => {
      live = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [imageId]);
  if (url) return <img className="quant-thumb" src={url} alt={alt} data-testid={`quant-thumb-${imageId}`} />;
  return <div className="quant-thumb quant-thumb-empty">{failed ? t('quant.ranking.noThumb') : ''}</div>;
}
