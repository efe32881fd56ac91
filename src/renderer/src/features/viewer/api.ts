import { settle } from '../../core/result';

/** The only module of the viewer feature that touches window.api (HOUSE-STYLE 15). */
export const viewerApi = {
  /** The stored bytes of an image and what the decoder must know first (images:file). */
  file: (id: number) => settle(() => window.api.images.file({ id })),
};
