import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DrillSetName, ImageBoxesView, ImageRow, TagFlowView, TagLink } from '../../../../../shared/contract';
import { formatDateTime } from '../../../ui/format';
import { resultsApi } from '../api';
import { Modal } from '../common/Modal';
import { useDrillStore } from '../drill-store';
import { setLabel } from '../labels';
import { useRunsStore } from '../runs-store';
import { bytesToBlob } from '../thumbs';
import { BoxLayer, BoxLegend } from './BoxOverlay';
import { DicomView } from './DicomView';
import { TagFlowPanel } from './TagFlowPanel';

const MIME = { png: 'image/png', jpeg: 'image/jpeg' } as const;

/** The picture to show: the stored file for PNG/JPEG (the browser decodes them), else the thumbnail. */
function usePicture(id: number, kind: ImageRow['kind'] | undefined): { url: string | null; fromThumbnail: boolean; loading: boolean } {
  const [state, setState] = useState<{ url: string | null; fromThumbnail: boolean; loading: boolean }>({ url: null, fromThumbnail: false, loading: true });
  useEffect(() => {
    // DICOM opens in the Cornerstone viewer instead (DicomView).
    if (!kind || kind === 'dicom') return;
    let live = true;
    let created: string | null = null;
    void (async () => {
      let url: string | null = null;
      let fromThumbnail = false;
      const file = await resultsApi.file(id);
      if (file.ok && file.value.viewable) url = created = URL.createObjectURL(bytesToBlob(file.value.bytes, MIME[kind]));
      if (!url) {
        // A file the browser cannot decode: its thumbnail stands in (see the note shown).
        const thumb = await resultsApi.thumbnail(id);
        if (thumb.ok && thumb.value) url = created = URL.createObjectURL(bytesToBlob(thumb.value, 'image/png'));
        fromThumbnail = true;
      }
      if (live) setState({ url, fromThumbnail, loading: false });
      else if (created) URL.revokeObjectURL(created);
    })();
    return () => {
      live = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [id, kind]);
  return state;
}

/** The detection boxes of an image in each context run (runs:imageBoxes); null until known or without detection runs. */
function useImageBoxes(imageId: number, runIds: readonly number[]): ImageBoxesView | null {
  const [view, setView] = useState<ImageBoxesView | null>(null);
  const key = runIds.join(',');
  useEffect(() => {
    setView(null);
    if (!key) return;
    let live = true;
    void resultsApi.imageBoxes(imageId, key.split(',').map(Number)).then((r) => live && r.ok && setView(r.value));
    return () => {
      live = false;
    };
  }, [imageId, key]);
  return view;
}

/**
 * One image with its ground truth and prediction (per run, switchable), its metadata and its
 * tag flow: source tags, datasets, test outcomes, each a link to the other images carrying it.
 */
export function ImageDialog({ imageId }: { imageId: number }) {
  const { t, i18n } = useTranslation();
  const imageRuns = useDrillStore((s) => s.imageRuns);
  const outcomes = useDrillStore((s) => s.outcomes);
  const datasets = useDrillStore((s) => s.datasets);
  const datasetImages = useDrillStore((s) => s.datasetImages);
  const loadedRow = useDrillStore((s) => s.rows?.find((r) => r.id === imageId));
  const runs = useRunsStore((s) => s.runs);
  const [fetchedRow, setFetchedRow] = useState<ImageRow | null>(null);
  const row = loadedRow ?? fetchedRow;
  const [runId, setRunId] = useState<number | null>(imageRuns[0] ?? null);
  const picture = usePicture(imageId, row?.kind);
  // Boxes only exist in detection runs (a run not in the loaded list may be one).
  const boxRuns = useMemo(() => imageRuns.filter((id) => (runs?.find((r) => r.id === id)?.task ?? 'detection') === 'detection'), [imageRuns, runs]);
  const boxesView = useImageBoxes(imageId, boxRuns);
  const [showTruth, setShowTruth] = useState(true);
  const [showPredictions, setShowPredictions] = useState(true);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const runBoxes = boxesView?.runs.find((r) => r.runId === runId && r.task === 'detection');
  const shownBoxes = (runBoxes?.boxes ?? []).filter((b) => (b.kind === 'truth' ? showTruth : showPredictions));
  // Boxes are in the stored image's pixels; a thumbnail stand-in is scaled like the image.
  const pixels = row?.width && row.height ? { width: row.width, height: row.height } : natural;
  const outcome = outcomes[imageId];
  const runName = (id: number) => runs?.find((r) => r.id === id)?.name ?? `#${id}`;

  const [flow, setFlow] = useState<TagFlowView | null>(null);
  useEffect(() => {
    void useDrillStore.getState().loadOutcomes(imageRuns);
  }, [imageRuns]);
  useEffect(() => {
    let live = true;
    // The tag flow of the backend when it answers; otherwise this screen assembles what it can
    // (source tags, datasets by membership, test outcomes of the runs in view).
    void resultsApi.tagsForImage(imageId).then((r) => {
      if (!live) return;
      if (r.ok) setFlow(r.value);
      else void useDrillStore.getState().loadDatasets();
    });
    return () => {
      live = false;
    };
  }, [imageId]);
  useEffect(() => {
    if (loadedRow) return;
    let live = true;
    void resultsApi.listImages({ filter: { tags: [], ids: [imageId] }, limit: 1 }).then((r) => live && r.ok && setFetchedRow(r.value.rows[0] ?? null));
    return () => {
      live = false;
    };
  }, [imageId, loadedRow]);

  const predicted = runId !== null ? outcome?.predicted[runId] : undefined;
  const verdict = runId !== null ? outcome?.outcomes[runId] : undefined;
  const inDatasets = (datasets ?? []).filter((d) => datasetImages[d.id]?.includes(imageId));
  const store = useDrillStore.getState;

  const followTag = (key: string, value: string) =>
    void store().openImages(t('results.tagflow.tagTitle', { key, value }), { kind: 'filter', filter: { tags: [{ key, op: 'eq', value }] } }, imageRuns, 'tagset');
  const followDataset = (id: number, title: string) => void store().openImages(title, { kind: 'ids', ids: datasetImages[id] ?? [] }, imageRuns, 'tagset');
  const followLink = (link: TagLink, title: string) => void store().openImages(title, { kind: 'link', link }, imageRuns, 'tagset');
  const followOutcome = async (run: number, set: string) => {
    await store().openDrill(run, { metric: 'accuracy' }, t('results.tagflow.outcomeTitle', { outcome: setLabel(t, set as DrillSetName), run: runName(run) }), imageRuns, 'drill');
    if (['correct', 'wrong', 'missed'].includes(set)) await store().setActiveSet(set as DrillSetName);
  };

  return (
    <Modal title={row ? t('results.image.title', { id: imageId, name: row.originalName }) : t('results.image.titleId', { id: imageId })} onClose={() => store().closeImage()} testId="image-dialog" wide>
      <div className="image-view">
        <div className="image-stage" data-testid="image-stage">
          {row?.kind === 'dicom' ? (
            <DicomView imageId={imageId} boxes={shownBoxes} />
          ) : picture.url ? (
            <div className="image-frame">
              <img
                src={picture.url}
                alt={row?.originalName ?? String(imageId)}
                className="image-large"
                data-testid="image-large"
                onLoad={(e) => setNatural({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
              />
              {pixels && shownBoxes.length > 0 && (
                <BoxLayer
                  boxes={shownBoxes}
                  viewBox={pixels}
                  project={(x, y) => [x, y]}
                  fit="meet"
                  labelSize={Math.max(4, Math.max(pixels.width, pixels.height) / 24)}
                  testId="image-boxes"
                />
              )}
            </div>
          ) : (
            <p className="muted">{picture.loading ? t('results.loading') : t('results.drill.noThumbnail')}</p>
          )}
          {outcome && (
            <div className="image-overlay" data-testid="image-overlay">
              <span className="overlay-gt" data-testid="overlay-truth">
                {t('results.image.truth')}: {outcome.trueClass ?? '—'}
              </span>
              {runId !== null && (
                <span className={`overlay-pred ${verdict === 'correct' ? 'tone-better' : verdict ? 'tone-worse' : ''}`} data-testid="overlay-prediction">
                  {t('results.image.prediction', { run: runName(runId) })}: {predicted ?? t('results.charts.missed')}
                  {verdict ? ` · ${setLabel(t, verdict as DrillSetName)}` : ''}
                </span>
              )}
            </div>
          )}
          {picture.fromThumbnail && picture.url && <p className="hint">{t('results.image.thumbnailNote')}</p>}
        </div>
        <aside className="image-side">
          {imageRuns.length > 1 && (
            <label className="field">
              <span>{t('results.image.run')}</span>
              <select data-testid="image-run" value={runId ?? ''} onChange={(e) => setRunId(Number(e.target.value))}>
                {imageRuns.map((id) => (
                  <option key={id} value={id}>
                    {runName(id)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {!outcome && imageRuns.length > 0 && <p className="muted">{t('results.image.notEvaluated')}</p>}
          {runBoxes && (
            <BoxLegend boxes={runBoxes.boxes} showTruth={showTruth} showPredictions={showPredictions} onTruth={setShowTruth} onPredictions={setShowPredictions} />
          )}
          {row && (
            <dl className="meta" data-testid="image-meta">
              <dt>{t('results.drill.id')}</dt>
              <dd>{row.id}</dd>
              <dt>{t('results.drill.kind')}</dt>
              <dd>{row.kind}</dd>
              <dt>{t('results.drill.size')}</dt>
              <dd>{row.width ? `${row.width}×${row.height}` : '—'}</dd>
              <dt>{t('results.image.imported')}</dt>
              <dd>{formatDateTime(row.importedAt, i18n.language)}</dd>
              <dt>SHA-256</dt>
              <dd className="mono" title={row.sha256}>
                {row.sha256.slice(0, 16)}…
              </dd>
            </dl>
          )}
          {flow ? (
            <TagFlowPanel flow={flow} onFollow={followLink} />
          ) : (
            <section className="tagflow" data-testid="tagflow" data-source="fallback">
              <h4>{t('results.tagflow.title')}</h4>
              <h5>{t('results.tagflow.source')}</h5>
              <ul className="tag-links">
                {row &&
                  Object.entries(row.tags).map(([k, v]) => (
                    <li key={k}>
                      <button type="button" className="tag-link" data-testid={`tagflow-source-${k}`} data-link-kind="tag" data-tag-key={k} onClick={() => followTag(k, v)}>
                        {k} = {v}
                      </button>
                    </li>
                  ))}
                {row && Object.keys(row.tags).length === 0 && <li className="muted">—</li>}
              </ul>
              <h5>{t('results.tagflow.datasets')}</h5>
              <ul className="tag-links">
                {inDatasets.map((d) => (
                  <li key={d.id}>
                    <button
                      type="button"
                      className="tag-link"
                      data-testid={`tagflow-dataset-${d.id}`}
                      data-link-kind="dataset"
                      data-dataset-id={d.id}
                      onClick={() => followDataset(d.id, t('results.tagflow.datasetTitle', { name: d.name, version: d.latestVersion }))}
                    >
                      {d.name} v{d.latestVersion} · {t(`results.purpose.${d.purpose}`, { defaultValue: d.purpose })}
                    </button>
                  </li>
                ))}
                {datasets && inDatasets.length === 0 && <li className="muted">—</li>}
              </ul>
              <h5>{t('results.tagflow.tests')}</h5>
              <ul className="tag-links">
                {outcome &&
                  imageRuns
                    .filter((id) => outcome.outcomes[id])
                    .map((id) => (
                      <li key={id}>
                        <button type="button" className="tag-link" data-testid={`tagflow-run-${id}`} data-link-kind="run-outcome" onClick={() => void followOutcome(id, outcome.outcomes[id] as string)}>
                          {runName(id)}: {setLabel(t, outcome.outcomes[id] as DrillSetName)} → {outcome.predicted[id] ?? t('results.charts.missed')}
                        </button>
                      </li>
                    ))}
              </ul>
              <h5>{t('results.tagflow.labeling')}</h5>
              <p className="muted">{t('results.tagflow.labelingNotYet')}</p>
            </section>
          )}
        </aside>
      </div>
    </Modal>
  );
}
