/** Messages of the ground-truth import (results feature), registered as `groundTruthImport` in both catalogs. */
export const groundTruthImportEn = {
  tab: 'Ground truth',
  intro:
    'Import the ground truth of a dataset from a CSV or JSON file on this workstation: image_key,class for classification, image_key,class,x,y,w,h for detection. Images are matched by SOP Instance UID, SHA-256 or original file name. A file with problems is refused with a report naming each one.',
  readOnly: 'Only engineers import ground truth.',
  dataset: 'Dataset',
  task: 'Task',
  path: 'File path on this workstation',
  pathHint: 'The full path of the CSV or JSON file.',
  mode: 'Mode',
  modes: { replace: 'Replace the current ground truth', merge: 'Merge into the current ground truth' },
  import: 'Import ground truth',
  importing: 'Importing…',
  refused: 'Refused: {{count}} problem(s) in {{total}} row(s). Nothing was imported.',
  acceptPartial: 'Import only the good rows',
  fixHint: 'Or fix the file and import it again.',
  imported: 'Imported {{accepted}} of {{total}} rows from {{file}}.',
  current: 'Current ground truth',
  none: 'This dataset has no {{task}} ground truth yet.',
  summary: '{{file}}: {{images}} images, {{items}} labels; classes {{classes}} (imported {{when}})',
};

type DeepStrings<T> = { readonly [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

export const groundTruthImportZhCN: DeepStrings<typeof groundTruthImportEn> = {
  tab: '金标准',
  intro:
    '从本工作站上的 CSV 或 JSON 文件导入数据集的金标准：分类为 image_key,class，检测为 image_key,class,x,y,w,h。影像按 SOP Instance UID、SHA-256 或原始文件名匹配。有问题的文件会被拒绝，并附上逐条问题报告。',
  readOnly: '只有算法工程师可以导入金标准。',
  dataset: '数据集',
  task: '任务',
  path: '本工作站上的文件路径',
  pathHint: 'CSV 或 JSON 文件的完整路径。',
  mode: '方式',
  modes: { replace: '替换当前金标准', merge: '合并到当前金标准' },
  import: '导入金标准',
  importing: '导入中…',
  refused: '已拒绝：{{total}} 行中有 {{count}} 个问题。未导入任何内容。',
  acceptPartial: '只导入正确的行',
  fixHint: '或者修正文件后重新导入。',
  imported: '已从 {{file}} 导入 {{total}} 行中的 {{accepted}} 行。',
  current: '当前金标准',
  none: '此数据集还没有{{task}}金标准。',
  summary: '{{file}}：{{images}} 张影像，{{items}} 个标签；类别 {{classes}}（导入于 {{when}}）',
};
