import type { DrillCell, RequestOf, RunnerLogEvent, TagLink } from '../../../../shared/contract';
import { settle } from '../../core/result';

/** The only module of the results feature that touches window.api (HOUSE-STYLE 15). */
export const resultsApi = {
  // Registries (algo_admin writes; engineers, experts and quantified-label users read).
  listModels: () => settle(() => window.api.models.list({})),
  createModel: (req: RequestOf<'models:create'>) => settle(() => window.api.models.create(req)),
  updateModel: (req: RequestOf<'models:update'>) => settle(() => window.api.models.update(req)),
  listParams: () => settle(() => window.api.params.list({})),
  createParam: (req: RequestOf<'params:create'>) => settle(() => window.api.params.create(req)),
  addOption: (parameterId: number, value: string) => settle(() => window.api.params.addOption({ parameterId, value })),
  widenParam: (req: RequestOf<'params:widen'>) => settle(() => window.api.params.widen(req)),
  setParamsDisabled: (req: RequestOf<'params:setDisabled'>) => settle(() => window.api.params.setDisabled(req)),
  listStandards: () => settle(() => window.api.standards.list({})),
  createStandard: (req: RequestOf<'standards:create'>) => settle(() => window.api.standards.create(req)),
  disableStandards: (ids: number[]) => settle(() => window.api.standards.disable({ ids })),
  listPresets: () => settle(() => window.api.presets.list({})),
  createPreset: (req: RequestOf<'presets:create'>) => settle(() => window.api.presets.create(req)),
  setPresetsDisabled: (ids: number[], disabled: boolean) => settle(() => window.api.presets.setDisabled({ ids, disabled })),

  // Runs, import, comparison, drill-down.
  listRuns: () => settle(() => window.api.runs.list({})),
  getRun: (id: number) => settle(() => window.api.runs.get({ id })),
  createRun: (req: RequestOf<'runs:create'>) => settle(() => window.api.runs.create(req)),
  importResults: (req: RequestOf<'runs:importResults'>) => settle(() => window.api.runs.importResults(req)),
  leakageCheck: (req: RequestOf<'leakage:check'>) => settle(() => window.api.leakage.check(req)),
  compare: (runIds: number[], baselineId: number) => settle(() => window.api.runs.compare({ runIds, baselineId })),
  drill: (runId: number, cell: DrillCell) => settle(() => window.api.runs.drill({ runId, cell })),
  detail: (req: RequestOf<'runs:detail'>) => settle(() => window.api.runs.detail(req)),
  curves: (runId: number) => settle(() => window.api.runs.curves({ runId })),
  imageBoxes: (imageId: number, runIds: number[]) => settle(() => window.api.runs.imageBoxes({ imageId, runIds })),
  // Training plans and the local runner (issue 5 items 4 and 8).
  listPlans: () => settle(() => window.api.plans.list({})),
  createPlan: (req: RequestOf<'plans:create'>) => settle(() => window.api.plans.create(req)),
  listRunners: () => settle(() => window.api.runner.list({})),
  registerRunner: (req: RequestOf<'runner:register'>) => settle(() => window.api.runner.register(req)),
  startRunner: (runId: number) => settle(() => window.api.runner.start({ runId })),
  cancelRunner: (runId: number) => settle(() => window.api.runner.cancel({ runId })),
  onRunnerLog: (listener: (e: RunnerLogEvent) => void) => window.api.events.onRunnerLog(listener),
  listDatasets: () => settle(() => window.api.datasets.list({})),
  datasetImageIds: (id: number, version?: number) => settle(() => window.api.datasets.imageIds(version === undefined ? { id } : { id, version })),

  // The images behind a number.
  listImages: (req: RequestOf<'images:list'>) => settle(() => window.api.images.list(req)),
  thumbnail: (id: number) => settle(() => window.api.images.thumbnail({ id })),
  tagKeys: () => settle(() => window.api.images.tagKeys({})),

  // Tag flow, slices, report (src/shared/contract/tagflow.ts).
  tagsForImage: (imageId: number) => settle(() => window.api.tags.forImage({ imageId })),
  taggedImages: (link: TagLink, offset: number, limit: number) => settle(() => window.api.tags.images({ link, offset, limit })),
  slice: (runId: number, tagKey: string) => settle(() => window.api.runs.slice({ runId, tagKey })),
  report: (runId: number) => settle(() => window.api.runs.report({ runId })),
  /** The stored file, to show PNG/JPEG images at full size (reading pixels is audited). */
  file: (id: number) => settle(() => window.api.images.file({ id })),
};
