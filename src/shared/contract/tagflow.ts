import { z } from 'zod';
import type { ClassificationMetrics } from '../metrics/classification';
import type { DetectionMetrics } from '../metrics/detection';
import { channel } from './channel';
import { id } from './common';
import type { ModelTask } from './registries';

/**
 * Tag flow (DESIGN §3, issue 6 items 5, 7, 8): every tag an image carries, grouped as source,
 * labeling, dataset and test, each with a `link` that `tags:images` turns into the other images
 * carrying the same tag; metrics of a run sliced by a source tag; the self-contained run report.
 */

const tagKey = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 letters, digits, _ . or -');
const className = z.string().min(1).max(200);

/** What a tag points at: the set of images that carry the same tag. */
export const tagLink = z.discriminatedUnion('kind', [
  /** A row of `image_tags` (namespace `source` for the source tags of DESIGN §2.1). */
  z.strictObject({ kind: z.literal('tag'), namespace: tagKey, key: tagKey, value: z.string().max(1000) }),
  /** Membership of a dataset version. */
  z.strictObject({ kind: z.literal('dataset'), datasetId: id, version: z.number().int().positive() }),
  /** The images a ticket holds or held (released ones included: the tag is history). */
  z.strictObject({ kind: z.literal('ticket'), ticketId: id }),
  /** Images of a labeling dataset with at least one annotation version of this kind. */
  z.strictObject({ kind: z.literal('annotation'), datasetId: id, annotationKind: z.enum(['annotator', 'reviewer', 'gold']) }),
  /** Images an imported ground-truth set labels with this class (null: declared without objects). */
  z.strictObject({ kind: z.literal('ground-truth'), gtSetId: id, className: className.nullable() }),
  /**
   * A run's outcome. Classification: `correct | wrong | missed`, optionally of one true class.
   * Detection: `tp | fp | fn` boxes of `className` (null: of any class).
   */
  z.strictObject({ kind: z.literal('run-outcome'), runId: id, outcome: z.enum(['correct', 'wrong', 'missed', 'tp', 'fp', 'fn']), className: className.nullable() }),
  /** The images a quantified label valued exactly this in a run. */
  z.strictObject({ kind: z.literal('run-quant'), runId: id, matrixId: id, value: z.number().finite() }),
]);
export type TagLink = z.infer<typeof tagLink>;
export type TagLinkKind = TagLink['kind'];

/** A fact shown beside a tag; `key` is a stable name the renderer translates. */
export interface TagFact {
  readonly key: string;
  readonly value: string | number | boolean | null;
}

/** One change of a source tag (image_tag_history). */
export interface TagChange {
  readonly oldValue: string | null;
  readonly newValue: string | null;
  readonly changedAt: string;
  readonly changedBy: string | null;
}

/** One tag of an image. */
export interface FlowTag {
  /** Unique within the image's flow and stable: `source:institution`, `dataset:3:v1`, `run:7`… */
  readonly id: string;
  /** What the tag is: a source-tag key, a dataset or run name, an annotation kind. Data, not a message key. */
  readonly label: string;
  readonly value: string;
  readonly link: TagLink | null;
  /** When it was set, and by whom (null when unknown, e.g. read from the file). */
  readonly at: string | null;
  readonly by: string | null;
  readonly facts: TagFact[];
  /** Source tags: every change, oldest first. */
  readonly history?: TagChange[];
}

export interface TagFlowView {
  readonly imageId: number;
  readonly originalName: string;
  readonly source: FlowTag[];
  /** Labeling datasets, tickets, annotation versions, imported ground truth. */
  readonly labeling: FlowTag[];
  /** Every dataset version containing the image. */
  readonly dataset: FlowTag[];
  /** Runs that include the image; null when the caller's roles do not read results. */
  readonly test: FlowTag[] | null;
}

export interface TaggedImagesView {
  readonly link: TagLink;
  /** What the link means, in words ("institution = Demo Hospital", "DemoNet v1: wrong"). */
  readonly title: string;
  readonly total: number;
  /** Ascending image ids of this page. */
  readonly imageIds: number[];
  readonly offset: number;
}

/** The metrics of one slice; `confusion` is aligned to the view's `classes` (classification). */
export type SliceMetrics =
  | { readonly task: 'classification'; readonly metrics: ClassificationMetrics; readonly confusion: number[][] }
  | { readonly task: 'detection'; readonly metrics: DetectionMetrics; readonly confusion: null };

export interface RunSlice {
  /** The tag value; null for the images without the tag. */
  readonly value: string | null;
  readonly images: number;
  readonly result: SliceMetrics;
  /** The images of the slice as a tag (null for the untagged slice). */
  readonly link: TagLink | null;
}

export interface RunSliceView {
  readonly runId: number;
  readonly task: ModelTask;
  readonly tagKey: string;
  /** Every class of the run (the confusion matrices' rows; columns add "missed"). */
  readonly classes: string[];
  readonly whole: { readonly images: number; readonly result: SliceMetrics };
  /** Largest first; the untagged slice last. */
  readonly slices: RunSlice[];
}

export const REPORT_LANGUAGES = ['en', 'zh-CN'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

export interface RunReport {
  readonly fileName: string;
  /** A complete HTML document: inline CSS and SVG, no script, no external resource. */
  readonly html: string;
}

/** Roles that read images (the data readers of images:list). */
const IMAGE_READERS = ['ops', 'labeling_admin', 'algo_engineer', 'algo_admin', 'expert'] as const;
/** Roles that read test results (as runs:get); only they see an image's test tags and follow run links. */
export const TAG_RESULT_READERS = ['algo_engineer', 'algo_admin', 'expert', 'quant_user'] as const;

export const tagflowChannels = {
  /** Every tag of an image, grouped. Reading an image's tags reads health data: audited. */
  'tags:forImage': channel<TagFlowView>()({
    request: z.strictObject({ imageId: id }),
    access: IMAGE_READERS,
    mutates: false,
    auditRead: true,
  }),
  /** The images carrying the tag a link names, a page at a time (run links need a results role). */
  'tags:images': channel<TaggedImagesView>()({
    request: z.strictObject({
      link: tagLink,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    access: IMAGE_READERS,
    mutates: false,
    auditRead: true,
  }),
  /** A run's metrics per value of a source tag (institution, manufacturer, modality…). */
  'runs:slice': channel<RunSliceView>()({
    request: z.strictObject({ runId: id, tagKey }),
    access: TAG_RESULT_READERS,
    mutates: false,
    auditRead: true,
  }),
  /** The run report as one self-contained HTML document, for the renderer to save. */
  'runs:report': channel<RunReport>()({
    request: z.strictObject({ runId: id, lang: z.enum(REPORT_LANGUAGES).default('en') }),
    access: TAG_RESULT_READERS,
    mutates: false,
    auditRead: true,
  }),
} as const;
