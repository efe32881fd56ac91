import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { FlowTag, TagFact, TagFlowView } from '../../../../shared/contract';
import { formatDateTime } from '../../ui/format';
import { createTagFlowStore, LIST_PAGE, type TagFlowStore, type TagList } from './tagflow-store';
import { TagThumbs } from './thumbs';
import './tagflow.css';

type GroupName = 'source' | 'labeling' | 'dataset' | 'test';
const GROUPS: readonly GroupName[] = ['source', 'labeling', 'dataset', 'test'];

interface Props {
  /** The image whose tags are shown; a new value starts a new trail. */
  readonly imageId: number;
  /** Called when the panel re-targets itself to another image (the host may follow). */
  readonly onImageChange?: (imageId: number) => void;
  readonly testId?: string;
}

/**
 * An image's tag flow (DESIGN §3): its tags grouped as source, labeling, dataset and test; each
 * tag opens the other images carrying it, and clicking one of those shows that image's tags.
 * Self-contained (its own store and thumbnail cache), so any feature can embed it.
 */
export function TagFlowPanel({ imageId, onImageChange, testId = 'tagflow-panel' }: Props) {
  const { t } = useTranslation();
  const [store] = useState(() => createTagFlowStore());
  const [thumbs] = useState(() => new TagThumbs());
  const current = useStore(store, (s) => s.imageId);
  const flow = useStore(store, (s) => s.flow);
  const loading = useStore(store, (s) => s.loading);
  const list = useStore(store, (s) => s.list);
  const trail = useStore(store, (s) => s.trail);

  useEffect(() => () => thumbs.dispose(), [thumbs]);
  useEffect(() => {
    void store.getState().open(imageId);
  }, [store, imageId]);

  const retarget = (id: number) => {
    void store.getState().retarget(id);
    onImageChange?.(id);
  };
  const previous = trail[trail.length - 1];

  return (
    <section className="tagflow-panel" data-testid={testId} data-image-id={current ?? undefined} aria-busy={loading}>
      <header className="tagflow-head">
        <h3>{flow && flow.imageId === current ? t('tagflow.imageTitle', { id: flow.imageId, name: flow.originalName }) : t('tagflow.title')}</h3>
        {previous !== undefined && (
          <button type="button" className="btn btn-small" data-testid="tagflow-back" onClick={() => void store.getState().back()}>
            {t('tagflow.back', { id: previous })}
          </button>
        )}
      </header>
      {loading && <p className="muted">{t('tagflow.loading')}</p>}
      {flow && !loading && GROUPS.map((g) => <TagGroup key={g} name={g} flow={flow} store={store} activeTag={list?.tagId ?? null} />)}
      {list && <TagListView list={list} store={store} thumbs={thumbs} current={current} onOpen={retarget} />}
    </section>
  );
}

function TagGroup({ name, flow, store, activeTag }: { name: GroupName; flow: TagFlowView; store: TagFlowStore; activeTag: string | null }) {
  const { t } = useTranslation();
  const tags = flow[name];
  return (
    <div className="tagflow-group" data-testid={`tagflow-group-${name}`}>
      <h4>{t(`tagflow.groups.${name}`)}</h4>
      {tags === null ? (
        <p className="muted">{t('tagflow.testHidden')}</p>
      ) : tags.length === 0 ? (
        <p className="muted">{t('tagflow.groupEmpty')}</p>
      ) : (
        <ul className="tagflow-tags">
          {tags.map((tag) => (
            <TagItem key={tag.id} tag={tag} group={name} active={activeTag === tag.id} onFollow={() => void store.getState().follow(tag)} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** Words for the machine values the backend sends (outcomes, annotation kinds, origins). */
function useValueText() {
  const { t } = useTranslation();
  return (v: string) => t(`tagflow.values.${v}`, { defaultValue: v });
}

function TagItem({ tag, group, active, onFollow }: { tag: FlowTag; group: GroupName; active: boolean; onFollow: () => void }) {
  const { t, i18n } = useTranslation();
  const word = useValueText();
  const annotation = tag.id.startsWith('annotation:');
  const label = annotation ? word(tag.label) : tag.label;
  const value = (group === 'test' && !tag.id.startsWith('quant:')) || tag.id.startsWith('ticket:') ? word(tag.value) : tag.value;
  const fact = (f: TagFact) => {
    const v = f.value === null ? t('tagflow.values.none') : typeof f.value === 'boolean' ? t(f.value ? 'tagflow.values.yes' : 'tagflow.values.no') : f.key === 'origin' || f.key === 'task' || f.key === 'purpose' ? word(String(f.value)) : String(f.value);
    return `${t(`tagflow.facts.${f.key}`, { defaultValue: f.key })}: ${v}`;
  };
  return (
    <li className="tagflow-item">
      <button
        type="button"
        className={`tag-link tagflow-tag${active ? ' active' : ''}`}
        data-testid={`tagflow-tag-${tag.id}`}
        data-link-kind={tag.link?.kind ?? 'none'}
        disabled={!tag.link}
        title={tag.link ? t('tagflow.follow') : t('tagflow.noLink')}
        onClick={onFollow}
      >
        <span className="tagflow-label">{label}</span>
        <span className="tagflow-value">{value}</span>
      </button>
      <span className="tagflow-facts muted">
        {[
          ...tag.facts.map(fact),
          ...(tag.at ? [formatDateTime(tag.at, i18n.language)] : []),
          ...(tag.by && !annotation ? [t('tagflow.setBy', { who: tag.by })] : []),
        ].join(' · ')}
      </span>
      {tag.history && tag.history.length > 1 && (
        <details className="tagflow-history">
          <summary>{t('tagflow.history')}</summary>
          <ol>
            {tag.history.map((h, i) => (
              <li key={i}>
                {t('tagflow.historyChange', { from: h.oldValue ?? t('tagflow.values.none'), to: h.newValue ?? t('tagflow.values.none') })} · {formatDateTime(h.changedAt, i18n.language)}
                {h.changedBy ? ` · ${t('tagflow.setBy', { who: h.changedBy })}` : ''}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}

function TagListView({ list, store, thumbs, current, onOpen }: { list: TagList; store: TagFlowStore; thumbs: TagThumbs; current: number | null; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const last = Math.min(list.offset + LIST_PAGE, list.total);
  const box = useRef<HTMLDivElement>(null);
  // A followed tag's list opens below the groups: bring it into view.
  // Block body on purpose: newer Chromium returns a promise from scrollIntoView, which React
  // would take for a cleanup function.
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, [list.tagId, list.offset]);
  return (
    <div ref={box} className="tagflow-list card" data-testid="tagflow-list" data-link-kind={list.link.kind}>
      <div className="tagflow-list-head">
        <strong>{t('tagflow.list.title', { tag: `${list.label} = ${list.value}` })}</strong>
        <span className="muted" data-testid="tagflow-list-count" data-total={list.total}>
          {t('tagflow.list.count', { count: list.total })}
        </span>
        <div className="button-row">
          <button type="button" className="btn btn-small" disabled={list.offset === 0} onClick={() => void store.getState().page(list.offset - LIST_PAGE)}>
            {t('tagflow.list.previous')}
          </button>
          <button type="button" className="btn btn-small" data-testid="tagflow-list-next" disabled={last >= list.total} onClick={() => void store.getState().page(list.offset + LIST_PAGE)}>
            {t('tagflow.list.next')}
          </button>
          <button type="button" className="btn btn-small" data-testid="tagflow-list-close" onClick={() => store.getState().closeList()}>
            {t('tagflow.list.close')}
          </button>
        </div>
      </div>
      {list.imageIds.length === 0 ? (
        <p className="muted">{t('tagflow.list.empty')}</p>
      ) : (
        <ul className="tagflow-tiles">
          {list.imageIds.map((id) => (
            <li key={id}>
              <button type="button" className={`tagflow-tile${id === current ? ' current' : ''}`} data-image-id={id} title={t('tagflow.list.open', { id })} onClick={() => onOpen(id)}>
                <TileThumb thumbs={thumbs} id={id} />
                <span className="tagflow-tile-id">{id}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function TileThumb({ thumbs, id }: { thumbs: TagThumbs; id: number }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void thumbs.get(id).then((u) => live && setUrl(u));
    return () => {
      live = false;
    };
  }, [thumbs, id]);
  return url ? <img className="tagflow-thumb" src={url} alt="" /> : <span className="tagflow-thumb tagflow-thumb-empty" />;
}
