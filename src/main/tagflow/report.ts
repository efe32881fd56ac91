import type { ReportLanguage, RunReport, RunView, StandardResult } from '../../shared/contract';
import type { BinaryCurve } from '../../shared/metrics/curves';
import type { PrPoint } from '../../shared/metrics/detection';

/**
 * The run report (issue 6 item 8): one self-contained HTML document — inline CSS and inline SVG
 * charts, no script, no external resource of any kind, not even an SVG namespace URI (HTML
 * parsers do not need one) — so it opens on any air-gapped machine and can be archived as is.
 */

const LABELS = {
  en: {
    title: 'Test run report',
    model: 'Model',
    dataset: 'Dataset',
    task: 'Task',
    parameters: 'Parameters',
    created: 'Recorded',
    snapshot: 'Metrics snapshot',
    snapshotHash: 'Snapshot hash (SHA-256)',
    snapshotDate: 'Computed',
    snapshotReason: 'Reason',
    generated: 'Report generated',
    noResults: 'This run has no results yet.',
    overall: 'Overall',
    metric: 'Metric',
    value: 'Value',
    perClass: 'Per class',
    className: 'Class',
    confusion: 'Confusion matrix (rows: true class, columns: predicted class)',
    missed: 'missed',
    bars: 'Per-class precision, recall and F1',
    barsDetection: 'Per-class precision, recall and AP',
    standards: 'Test standards',
    standard: 'Standard',
    threshold: 'Threshold',
    result: 'Result',
    pass: 'pass',
    fail: 'fail',
    notApplicable: 'n/a',
    disabled: 'disabled',
    quant: 'Quantified labels',
    score: 'Score',
    coverage: 'Images evaluated',
    withoutGroundTruth: 'images without ground truth',
    warnings: 'Warnings',
    none: 'none',
    curves: 'ROC and precision–recall curves per class (one class against the rest; the area under each ROC curve is its AUC)',
    prDetection: 'Precision–recall curves per class (predicted boxes by descending score)',
    fpr: 'false positive rate',
    tpr: 'true positive rate',
    recall: 'recall',
    precision: 'precision',
  },
  'zh-CN': {
    title: '测试运行报告',
    model: '模型',
    dataset: '数据集',
    task: '任务',
    parameters: '参数',
    created: '记录时间',
    snapshot: '指标快照',
    snapshotHash: '快照哈希（SHA-256）',
    snapshotDate: '计算时间',
    snapshotReason: '原因',
    generated: '报告生成时间',
    noResults: '此运行尚无结果。',
    overall: '总体',
    metric: '指标',
    value: '数值',
    perClass: '各类别',
    className: '类别',
    confusion: '混淆矩阵（行：真实类别，列：预测类别）',
    missed: '漏检',
    bars: '各类别精确率、召回率与 F1',
    barsDetection: '各类别精确率、召回率与 AP',
    standards: '测试标准',
    standard: '标准',
    threshold: '阈值',
    result: '结果',
    pass: '通过',
    fail: '未通过',
    notApplicable: '不适用',
    disabled: '已停用',
    quant: '量化标签',
    score: '得分',
    coverage: '已评估影像',
    withoutGroundTruth: '张影像无真值',
    warnings: '警告',
    none: '无',
    curves: '各类别的 ROC 与精确率–召回率曲线（一个类别对其余类别；每条 ROC 曲线下的面积即其 AUC）',
    prDetection: '各类别的精确率–召回率曲线（预测框按分数降序）',
    fpr: '假阳性率',
    tpr: '真阳性率',
    recall: '召回率',
    precision: '精确率',
  },
} as const;

type Labels = { readonly [K in keyof (typeof LABELS)['en']]: string };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const fmt = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(digits));

const CSS = `
body{font-family:system-ui,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1b2430;margin:24px;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #d5dce4;padding-bottom:4px}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border:1px solid #d5dce4;padding:4px 8px;text-align:right}
th{background:#eef2f6;text-align:left}td.l{text-align:left}.pass{color:#146c2e;font-weight:600}.fail{color:#b3261e;font-weight:600}
.muted{color:#5b6675}.mono{font-family:ui-monospace,Consolas,monospace;font-size:12px;word-break:break-all}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:13px}dt{color:#5b6675}dd{margin:0}
svg text{font-family:inherit}
@media print{body{margin:0}}`;

function table(head: string[], rows: string[][], leftCols = 1): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c, i) => (i < leftCols ? `<td class="l">${c}</td>` : `<td>${c}</td>`)).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}

/** The confusion matrix as a heat map: each cell shaded by its share of its row (true class). */
export function confusionSvg(classes: readonly string[], confusion: readonly (readonly number[])[], missedLabel: string): string {
  const cols = [...classes, missedLabel];
  const cell = 44;
  const left = 120;
  const top = 90;
  const width = left + cols.length * cell + 10;
  const height = top + classes.length * cell + 10;
  const parts: string[] = [`<svg class="heatmap" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`];
  cols.forEach((c, j) => {
    const x = left + j * cell + cell / 2;
    parts.push(`<text x="${x}" y="${top - 8}" font-size="11" text-anchor="start" transform="rotate(-45 ${x} ${top - 8})">${escapeHtml(c)}</text>`);
  });
  classes.forEach((t, i) => {
    const row = confusion[i] ?? [];
    const total = row.reduce((s, v) => s + v, 0);
    const y = top + i * cell;
    parts.push(`<text x="${left - 6}" y="${y + cell / 2 + 4}" font-size="11" text-anchor="end">${escapeHtml(t)}</text>`);
    cols.forEach((_, j) => {
      const v = row[j] ?? 0;
      const share = total > 0 ? v / total : 0;
      const diagonal = j === i;
      // Blue on the diagonal (right), red elsewhere (errors); stronger with the share of the row.
      const hue = diagonal ? '29,95,168' : '179,38,30';
      const x = left + j * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" fill="rgba(${hue},${(0.08 + 0.85 * share).toFixed(3)})" stroke="#d5dce4"/>`);
      parts.push(`<text x="${x + cell / 2 - 1}" y="${y + cell / 2 + 4}" font-size="12" text-anchor="middle" fill="${share > 0.55 ? '#ffffff' : '#1b2430'}">${v}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Grouped horizontal bars, one group per class, values in [0, 1]. */
export function barsSvg(classes: readonly string[], series: readonly { name: string; color: string; values: readonly (number | null)[] }[]): string {
  const bar = 12;
  const group = series.length * bar + 10;
  const left = 120;
  const plot = 360;
  const legend = 24;
  const height = legend + classes.length * group + 24;
  const width = left + plot + 60;
  const parts: string[] = [`<svg class="bars" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`];
  series.forEach((s, k) => {
    parts.push(`<rect x="${left + k * 110}" y="4" width="12" height="12" fill="${s.color}"/><text x="${left + k * 110 + 16}" y="14" font-size="11">${escapeHtml(s.name)}</text>`);
  });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const x = left + tick * plot;
    parts.push(`<line x1="${x}" y1="${legend}" x2="${x}" y2="${height - 18}" stroke="#e3e8ee"/><text x="${x}" y="${height - 4}" font-size="10" text-anchor="middle">${tick}</text>`);
  }
  classes.forEach((c, i) => {
    const y0 = legend + i * group;
    parts.push(`<text x="${left - 6}" y="${y0 + group / 2 + 2}" font-size="11" text-anchor="end">${escapeHtml(c)}</text>`);
    series.forEach((s, k) => {
      const v = s.values[i] ?? null;
      const y = y0 + k * bar + 2;
      const w = v === null ? 0 : Math.max(0, Math.min(1, v)) * plot;
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${bar - 2}" fill="${s.color}"/>`);
      parts.push(`<text x="${left + w + 4}" y="${y + bar - 3}" font-size="10">${fmt(v)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

const CURVE_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

interface LinePanel {
  readonly xTitle: string;
  readonly yTitle: string;
  /** The chance line of a ROC panel. */
  readonly diagonal: boolean;
  /** One polyline per legend entry, in [0, 1]². */
  readonly lines: readonly (readonly (readonly [number, number])[])[];
}

/** Side-by-side line panels in [0, 1]² sharing one legend (one colour per legend entry). */
function linePanelsSvg(className: string, panels: readonly LinePanel[], legend: readonly string[]): string {
  const size = 220;
  const left = 50;
  const top = 10;
  const gap = 70;
  const width = left + panels.length * size + (panels.length - 1) * gap + 190;
  const height = Math.max(top + size + 40, top + legend.length * 18 + 10);
  const parts: string[] = [`<svg class="${className}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`];
  panels.forEach((panel, n) => {
    const x0 = left + n * (size + gap);
    const px = (v: number) => (x0 + v * size).toFixed(1);
    const py = (v: number) => (top + (1 - v) * size).toFixed(1);
    parts.push(`<rect x="${x0}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#d5dce4"/>`);
    if (panel.diagonal) parts.push(`<line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" stroke="#d5dce4" stroke-dasharray="4 3"/>`);
    for (const v of [0, 0.5, 1]) {
      parts.push(`<text x="${px(v)}" y="${top + size + 14}" font-size="10" text-anchor="middle">${v}</text>`);
      parts.push(`<text x="${x0 - 4}" y="${Number(py(v)) + 4}" font-size="10" text-anchor="end">${v}</text>`);
    }
    parts.push(`<text x="${x0 + size / 2}" y="${top + size + 32}" font-size="11" text-anchor="middle">${escapeHtml(panel.xTitle)}</text>`);
    parts.push(`<text x="${x0 - 34}" y="${top + size / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 ${x0 - 34} ${top + size / 2})">${escapeHtml(panel.yTitle)}</text>`);
    panel.lines.forEach((line, i) => {
      const d = line.map(([vx, vy], k) => `${k === 0 ? 'M' : 'L'}${px(vx)},${py(vy)}`);
      parts.push(`<path d="${d.join(' ')}" fill="none" stroke="${CURVE_COLOURS[i % CURVE_COLOURS.length]}" stroke-width="2"/>`);
    });
  });
  const legendX = left + panels.length * size + (panels.length - 1) * gap + 14;
  legend.forEach((label, i) => {
    parts.push(`<rect x="${legendX}" y="${top + i * 18}" width="10" height="10" fill="${CURVE_COLOURS[i % CURVE_COLOURS.length]}"/>`);
    parts.push(`<text x="${legendX + 14}" y="${top + i * 18 + 9}" font-size="11">${escapeHtml(label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** ROC (left) and precision–recall (right) curves per class, from `runs:curves` data (shared/metrics/curves.ts). */
export function curvesSvg(curves: Readonly<Record<string, BinaryCurve>>, l: Pick<Labels, 'fpr' | 'tpr' | 'recall' | 'precision'>): string {
  const classes = Object.keys(curves).filter((c) => (curves[c]?.points.length ?? 0) > 0);
  const points = (c: string) => curves[c]?.points ?? [];
  return linePanelsSvg(
    'curves',
    [
      { xTitle: l.fpr, yTitle: l.tpr, diagonal: true, lines: classes.map((c) => points(c).map((p) => [p.fpr, p.tpr] as const)) },
      { xTitle: l.recall, yTitle: l.precision, diagonal: false, lines: classes.map((c) => points(c).map((p) => [p.tpr, p.precision] as const)) },
    ],
    classes.map((c) => `${c} AUC ${fmt(curves[c]?.auc)}`),
  );
}

/** At most `max` points of a long polyline, evenly, the first and last kept (a point per box is too many to draw). */
function thinned<T>(points: readonly T[], max = 400): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => points[Math.round(k * step)] as T);
}

/** The precision–recall curve per class of a detection run (the engine's points; one without recall is left out). */
export function detectionPrSvg(prCurves: Readonly<Record<string, readonly PrPoint[]>>, perClass: Readonly<Record<string, { ap?: number | null }>>, l: Pick<Labels, 'recall' | 'precision'>): string {
  const drawn = (c: string) => (prCurves[c] ?? []).filter((p): p is PrPoint & { recall: number } => p.recall !== null);
  const classes = Object.keys(prCurves).filter((c) => drawn(c).length > 0);
  return linePanelsSvg(
    'pr-curves',
    [{ xTitle: l.recall, yTitle: l.precision, diagonal: false, lines: classes.map((c) => thinned(drawn(c)).map((p) => [p.recall, p.precision] as const)) }],
    classes.map((c) => `${c} AP ${fmt(perClass[c]?.ap)}`),
  );
}

function standardCell(s: StandardResult, l: Labels): string {
  if (s.disabled) return `<span class="muted">${escapeHtml(l.disabled)}</span>`;
  if (s.pass === null) return `<span class="muted">${escapeHtml(l.notApplicable)}</span>`;
  return s.pass ? `<span class="pass">${escapeHtml(l.pass)}</span>` : `<span class="fail">${escapeHtml(l.fail)}</span>`;
}

/**
 * The report of a run as it is viewed now (the caller regenerates a stale snapshot first).
 * `curves`: the per-class ROC/PR curves of a classification run (runs:curves), drawn when present.
 */
export function runReport(view: RunView, generatedAt: string, lang: ReportLanguage = 'en', curves: Readonly<Record<string, BinaryCurve>> = {}): RunReport {
  const l: Labels = LABELS[lang];
  const e = escapeHtml;
  const body: string[] = [];
  body.push(`<h1>${e(l.title)}: ${e(view.name)}</h1>`);
  const params = Object.entries(view.parameterValues)
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join(', ');
  body.push(
    `<dl><dt>${e(l.model)}</dt><dd>${e(view.modelName)}</dd><dt>${e(l.task)}</dt><dd>${e(view.task)}${view.iou !== null ? ` (IoU ${view.iou})` : ''}</dd>` +
      `<dt>${e(l.dataset)}</dt><dd>${e(view.datasetName)} v${view.datasetVersion}</dd><dt>${e(l.parameters)}</dt><dd>${e(params || l.none)}</dd>` +
      `<dt>${e(l.created)}</dt><dd>${e(view.createdAt)}${view.createdBy ? ` (${e(view.createdBy)})` : ''}</dd>` +
      `<dt>${e(l.coverage)}</dt><dd>${view.coverage.evaluated}${view.coverage.withoutGroundTruth > 0 ? ` (${view.coverage.withoutGroundTruth} ${e(l.withoutGroundTruth)})` : ''}</dd>` +
      `<dt>${e(l.generated)}</dt><dd>${e(generatedAt)}</dd></dl>`,
  );
  body.push(`<h2>${e(l.snapshot)}</h2>`);
  if (view.snapshot) {
    body.push(
      `<dl><dt>${e(l.snapshotHash)}</dt><dd class="mono" data-snapshot-hash>${e(view.snapshot.hash)}</dd><dt>${e(l.snapshotDate)}</dt><dd>${e(view.snapshot.createdAt)} (#${view.snapshot.seq})</dd>` +
        `<dt>${e(l.snapshotReason)}</dt><dd>${e(view.snapshot.reason)}</dd></dl>`,
    );
  }
  const m = view.metrics;
  if (!m) {
    body.push(`<p>${e(l.noResults)}</p>`);
  } else {
    body.push(`<h2>${e(l.standards)}</h2>`);
    body.push(
      view.standards.length === 0
        ? `<p class="muted">${e(l.none)}</p>`
        : table(
            [l.standard, l.metric, l.className, l.threshold, l.value, l.result],
            view.standards.map((s) => [e(s.name), e(s.metric), e(s.className ?? '—'), `${e(s.comparison)} ${fmt(s.threshold)}`, fmt(s.value), standardCell(s, l)]),
            3,
          ),
    );
    body.push(`<h2>${e(l.overall)}</h2>`);
    const overall: [string, number | null | undefined][] =
      m.task === 'classification'
        ? [['accuracy', m.accuracy], ['macro precision', m.macro.precision], ['macro recall', m.macro.recall], ['macro F1', m.macro.f1], ['macro AUC', m.macro.auc], ['micro precision', m.micro.precision], ['micro recall', m.micro.recall], ['micro F1', m.micro.f1]]
        : [['mAP', m.mAP], ['macro precision', m.macro.precision], ['macro recall', m.macro.recall], ['macro F1', m.macro.f1], ['micro precision', m.micro.precision], ['micro recall', m.micro.recall], ['micro F1', m.micro.f1]];
    body.push(table([l.metric, l.value], overall.filter(([, v]) => v !== undefined).map(([k, v]) => [e(k), fmt(v)])));
    body.push(`<h2>${e(l.perClass)}</h2>`);
    if (m.task === 'classification') {
      body.push(
        table(
          [l.className, 'TP', 'FP', 'FN', 'TN', 'support', 'precision', 'recall', 'specificity', 'F1', 'AUC'],
          m.classes.map((c) => {
            const p = m.perClass[c];
            return [e(c), fmt(p?.tp), fmt(p?.fp), fmt(p?.fn), fmt(p?.tn), fmt(p?.support), fmt(p?.precision), fmt(p?.recall), fmt(p?.specificity), fmt(p?.f1), fmt(p?.auc)];
          }),
        ),
      );
      body.push(`<h2>${e(l.confusion)}</h2>`, confusionSvg(m.classes, m.confusion, l.missed));
      body.push(
        `<h2>${e(l.bars)}</h2>`,
        barsSvg(m.classes, [
          { name: 'precision', color: '#1d5fa8', values: m.classes.map((c) => m.perClass[c]?.precision ?? null) },
          { name: 'recall', color: '#2e8b57', values: m.classes.map((c) => m.perClass[c]?.recall ?? null) },
          { name: 'F1', color: '#c07a12', values: m.classes.map((c) => m.perClass[c]?.f1 ?? null) },
        ]),
      );
      if (Object.values(curves).some((c) => c.points.length > 0)) body.push(`<h2>${e(l.curves)}</h2>`, curvesSvg(curves, l));
    } else {
      body.push(
        table(
          [l.className, 'TP', 'FP', 'FN', 'support', 'precision', 'recall', 'F1', 'AP'],
          m.classes.map((c) => {
            const p = m.perClass[c];
            return [e(c), fmt(p?.tp), fmt(p?.fp), fmt(p?.fn), fmt(p?.support), fmt(p?.precision), fmt(p?.recall), fmt(p?.f1), fmt(p?.ap)];
          }),
        ),
      );
      body.push(
        `<h2>${e(l.barsDetection)}</h2>`,
        barsSvg(m.classes, [
          { name: 'precision', color: '#1d5fa8', values: m.classes.map((c) => m.perClass[c]?.precision ?? null) },
          { name: 'recall', color: '#2e8b57', values: m.classes.map((c) => m.perClass[c]?.recall ?? null) },
          { name: 'AP', color: '#c07a12', values: m.classes.map((c) => m.perClass[c]?.ap ?? null) },
        ]),
      );
      if (Object.values(m.prCurves).some((points) => points.some((p) => p.recall !== null))) body.push(`<h2>${e(l.prDetection)}</h2>`, detectionPrSvg(m.prCurves, m.perClass, l));
    }
    if (m.quant.length > 0) {
      body.push(`<h2>${e(l.quant)}</h2>`);
      body.push(table([l.quant, l.score], m.quant.map((q) => [`${e(q.name)} v${q.version}`, fmt(q.score)])));
    }
  }
  if (view.warnings.length > 0) {
    body.push(`<h2>${e(l.warnings)}</h2><ul>${view.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>`);
  }
  const html = `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(l.title)}: ${e(view.name)}</title><style>${CSS}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
  const safeName = view.name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80) || `run-${view.id}`;
  return { fileName: `${safeName}-report.html`, html };
}
