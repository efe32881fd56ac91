/** Messages of the drop-folder panel (results feature), registered as `dropFolder` in both catalogs. */
export const dropFolderEn = {
  tab: 'Drop folder',
  intro:
    'Result files (predictions CSV or JSON, the import formats) saved into a watched folder are imported automatically, checked as in the import wizard. Imported files move to processed/, refused ones to refused/ with a report beside them. Write large files under a name ending in .part and rename them when complete.',
  introReader: 'Drop folders configured by the engineers. Only engineers and the algorithm admin configure them.',
  none: 'No folder is watched yet.',
  path: 'Folder (absolute path)',
  run: 'Run',
  mode: 'Each file goes',
  modes: { into_run: 'into this run', new_run: 'into a new run with the inputs of this run' },
  acceptPartial: 'Import the good rows of a file with problems (otherwise the file is refused)',
  create: 'Watch this folder',
  created: 'Watching {{path}}.',
  disable: 'Stop watching',
  disabled: 'No longer watching {{path}}.',
  createTitle: 'Watch a folder',
  states: { watching: 'Watching', missing: 'Folder missing', idle: 'Not watched in this process' },
  files: 'Recent files',
  noFiles: 'No file has arrived yet.',
  outcome: { imported: 'Imported', refused: 'Refused' },
  rows: '{{accepted}} of {{total}} rows',
  showReport: 'Problems ({{count}})',
  openRun: 'Show the run',
  activity: {
    arrived: '{{file}} arrived; waiting until it is complete…',
    imported: '{{file}} imported.',
    refused: '{{file}} refused: {{message}}',
    failed: '{{file}} could not be read: {{message}}',
  },
};

type DeepStrings<T> = { readonly [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

export const dropFolderZhCN: DeepStrings<typeof dropFolderEn> = {
  tab: '投放文件夹',
  intro:
    '保存到受监视文件夹中的结果文件（预测 CSV 或 JSON，导入格式）会被自动导入，并与导入向导同样校验。已导入的文件移到 processed/，被拒绝的移到 refused/，旁边附上报告。大文件请先以 .part 结尾的名称写入，完成后再改名。',
  introReader: '由算法工程师配置的投放文件夹。只有算法工程师和算法管理员可以配置。',
  none: '尚未监视任何文件夹。',
  path: '文件夹（绝对路径）',
  run: '测试运行',
  mode: '每个文件导入到',
  modes: { into_run: '此运行', new_run: '一个新运行（沿用此运行的输入）' },
  acceptPartial: '有问题的文件也导入其正确的行（否则整个文件被拒绝）',
  create: '监视此文件夹',
  created: '正在监视 {{path}}。',
  disable: '停止监视',
  disabled: '已停止监视 {{path}}。',
  createTitle: '监视一个文件夹',
  states: { watching: '监视中', missing: '文件夹不存在', idle: '本进程未监视' },
  files: '最近的文件',
  noFiles: '尚无文件到达。',
  outcome: { imported: '已导入', refused: '已拒绝' },
  rows: '{{total}} 行中 {{accepted}} 行',
  showReport: '问题（{{count}}）',
  openRun: '查看运行',
  activity: {
    arrived: '{{file}} 已到达，等待写入完成…',
    imported: '{{file}} 已导入。',
    refused: '{{file}} 被拒绝：{{message}}',
    failed: '{{file}} 无法读取：{{message}}',
  },
};
