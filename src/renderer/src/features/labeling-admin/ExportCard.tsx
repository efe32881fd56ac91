import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorData } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { labelingAdminApi as api } from './api';

interface Download {
  readonly url: string;
  readonly name: string;
}

function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Export of the dataset's current ground truth: COCO JSON, CSV, or DICOM SR TID 1500 (one file
 * per DICOM image). The files become blob: download links; nothing leaves the machine.
 */
export function ExportCard({ datasetId }: { datasetId: number }) {
  const { t } = useTranslation();
  const [files, setFiles] = useState<Download[]>([]);
  const [summary, setSummary] = useState<string | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  useEffect(() => () => files.forEach((f) => URL.revokeObjectURL(f.url)), [files]);
  const show = (list: Download[], text: string) => {
    setFiles(list);
    setSummary(text);
  };
  const run = async (format: 'coco' | 'csv' | 'sr') => {
    setError(null);
    if (format === 'sr') {
      const r = await api.exportSr(datasetId);
      if (!r.ok) return setError(inlineError(r));
      const list = r.value.files.map((f) => ({ url: URL.createObjectURL(new Blob([base64Bytes(f.base64) as BlobPart], { type: 'application/dicom' })), name: f.fileName }));
      return show(list, t('labelingAdmin.exportSrDone', { images: r.value.images, notDicom: r.value.notDicom, without: r.value.withoutGroundTruth }));
    }
    const r = await api.exportText(datasetId, format);
    if (!r.ok) return setError(inlineError(r));
    show([{ url: URL.createObjectURL(new Blob([r.value.text], { type: `${r.value.mimeType};charset=utf-8` })), name: r.value.fileName }], t('labelingAdmin.exportDone', { images: r.value.images, without: r.value.withoutGroundTruth }));
  };
  return (
    <section className="card" data-testid="labeling-export">
      <h3>{t('labelingAdmin.exportTitle')}</h3>
      <div className="button-row">
        <button type="button" className="btn" data-testid="export-coco" onClick={() => void run('coco')}>
          COCO JSON
        </button>
        <button type="button" className="btn" data-testid="export-csv" onClick={() => void run('csv')}>
          CSV
        </button>
        <button type="button" className="btn" data-testid="export-sr" onClick={() => void run('sr')}>
          DICOM SR (TID 1500)
        </button>
      </div>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {summary && (
        <p className="muted" data-testid="export-summary">
          {summary}
        </p>
      )}
      <ul>
        {files.map((f) => (
          <li key={f.url}>
            <a href={f.url} download={f.name} data-testid={`export-file-${f.name}`}>
              {f.name}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
