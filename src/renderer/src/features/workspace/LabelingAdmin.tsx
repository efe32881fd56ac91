/** The labeling admin screen lives in its own feature; the workspace home mounts it from here. */
export { LabelingAdmin } from '../labeling-admin/LabelingAdmin';
