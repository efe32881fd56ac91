import type { RequestOf, TagLink } from '../../../../shared/contract';
import { settle } from '../../core/result';

/** The only module of the tag-flow feature that touches window.api (HOUSE-STYLE 15). */
export const tagflowApi = {
  forImage: (imageId: number) => settle(() => window.api.tags.forImage({ imageId })),
  images: (link: TagLink, offset: number, limit: number) => settle(() => window.api.tags.images({ link, offset, limit })),
  thumbnail: (id: number) => settle(() => window.api.images.thumbnail({ id })),
  slice: (runId: number, tagKey: string) => settle(() => window.api.runs.slice({ runId, tagKey })),
  report: (req: RequestOf<'runs:report'>) => settle(() => window.api.runs.report(req)),
};
