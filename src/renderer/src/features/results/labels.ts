import type { TFunction } from 'i18next';
import type { DrillCell, DrillSetName } from '../../../../shared/contract';

/** A metric's display name; unknown names (e.g. `quant Clinical harm` from the backend) are shown as they are. */
export function metricLabel(t: TFunction, metric: string): string {
  const [head, ...rest] = metric.split(' ');
  if ((head === 'macro' || head === 'micro') && rest.length === 1) return `${t(`results.average.${head}`)} ${metricLabel(t, rest[0] as string)}`;
  if (head === 'quant' && rest.length) return t('results.metric.quantNamed', { name: rest.join(' ') });
  return t(`results.metric.${metric}`, { defaultValue: metric });
}

export function setLabel(t: TFunction, set: DrillSetName | 'all'): string {
  return t(`results.sets.${set}`);
}

/** "Precision · benign · DemoNet v1": what a drill-down shows, in the person's language. */
export function drillTitle(t: TFunction, cell: DrillCell, runName: string): string {
  switch (cell.metric) {
    case 'confusion':
      return t('results.drill.confusionTitle', {
        truth: cell.trueClass,
        predicted: cell.predictedClass ?? t('results.charts.missed'),
        run: runName,
      });
    case 'accuracy':
      return `${t('results.metric.accuracy')} · ${runName}`;
    case 'quant':
      return `${t('results.metric.quant')} · ${runName}`;
    case 'threshold':
      return cell.minScore === null
        ? t('results.curves.drillAll', { className: cell.className, run: runName })
        : t('results.curves.drillTitle', { className: cell.className, threshold: String(cell.minScore), run: runName });
    default:
      return 'average' in cell
        ? `${t(`results.average.${cell.average}`)} ${metricLabel(t, cell.metric)} · ${runName}`
        : `${metricLabel(t, cell.metric)} · ${cell.className} · ${runName}`;
  }
}
