import { useTranslation } from 'react-i18next';
import type { FlowTag, TagFlowView, TagLink } from '../../../../../shared/contract';
import { formatDateTime } from '../../../ui/format';

const GROUPS = ['source', 'labeling', 'dataset', 'test'] as const;

/** Test-friendly attributes of a link: its kind and, for datasets and runs, the id it names. */
function linkAttributes(link: TagLink | null): Record<string, string> {
  if (!link) return {};
  const attrs: Record<string, string> = { 'data-link-kind': link.kind };
  if (link.kind === 'dataset') attrs['data-dataset-id'] = String(link.datasetId);
  if (link.kind === 'run-outcome' || link.kind === 'run-quant') attrs['data-run-id'] = String(link.runId);
  if (link.kind === 'tag') attrs['data-tag-key'] = link.key;
  return attrs;
}

/**
 * Every tag of an image grouped as source, labeling, dataset and test (DESIGN §3 "tag flow"),
 * each a link to the other images carrying the same tag; source tags with their history.
 */
export function TagFlowPanel({ flow, onFollow }: { flow: TagFlowView; onFollow: (link: TagLink, title: string) => void }) {
  const { t, i18n } = useTranslation();
  const tagsOf = (group: (typeof GROUPS)[number]): FlowTag[] | null => flow[group];
  return (
    <section className="tagflow" data-testid="tagflow" data-source="backend">
      <h4>{t('results.tagflow.title')}</h4>
      {GROUPS.map((group) => {
        const tags = tagsOf(group);
        if (tags === null) return null;
        return (
          <div key={group} data-testid={`tagflow-group-${group}`}>
            <h5>{t(`results.tagflow.groups.${group}`)}</h5>
            {tags.length === 0 && <p className="muted">—</p>}
            <ul className="tag-flow-list">
              {tags.map((tag) => {
                const title = `${tag.label}: ${tag.value}`;
                return (
                  <li key={tag.id}>
                    {tag.link ? (
                      <button type="button" className="tag-link" data-testid={`tagflow-${tag.id}`} {...linkAttributes(tag.link)} onClick={() => tag.link && onFollow(tag.link, title)}>
                        {tag.label} = {tag.value}
                      </button>
                    ) : (
                      <span className="tag-plain" data-testid={`tagflow-${tag.id}`}>
                        {tag.label} = {tag.value}
                      </span>
                    )}
                    {(tag.at || tag.by) && (
                      <small className="muted">
                        {' '}
                        {[tag.at ? formatDateTime(tag.at, i18n.language) : null, tag.by].filter(Boolean).join(' · ')}
                      </small>
                    )}
                    {tag.facts.length > 0 && (
                      <small className="tag-facts">
                        {tag.facts.map((f) => `${t(`results.tagflow.facts.${f.key}`, { defaultValue: f.key })}: ${f.value === null ? '—' : String(f.value)}`).join(' · ')}
                      </small>
                    )}
                    {tag.history && tag.history.length > 1 && (
                      <details className="tag-history">
                        <summary>{t('results.tagflow.history', { count: tag.history.length })}</summary>
                        <ul>
                          {tag.history.map((h, i) => (
                            <li key={i}>
                              {h.oldValue ?? '∅'} → {h.newValue ?? '∅'} · {formatDateTime(h.changedAt, i18n.language)}
                              {h.changedBy ? ` · ${h.changedBy}` : ''}
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
