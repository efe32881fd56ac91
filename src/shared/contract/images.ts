import { z } from 'zod';
import { channel, event } from './channel';
import { empty, id } from './common';

/** Roles that browse the imported data (PHI: every read is audited). */
const DATA_READERS = ['ops', 'labeling_admin', 'algo_engineer', 'algo_admin', 'expert'] as const;

export type ImportItemStatus = 'imported' | 'duplicate' | 'quarantined';

export interface ImportItemView {
  readonly path: string;
  readonly id: number | null;
  readonly sha256: string | null;
  readonly status: ImportItemStatus;
  readonly reason?: string;
}

/** The batch report (the same shape as `midc import --json`). */
export interface ImportReportView {
  readonly batch: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly quarantined: { path: string; reason: string }[];
  readonly items: ImportItemView[];
  readonly cancelled: boolean;
}

export interface ImportProgressView {
  readonly batch: number;
  readonly total: number;
  readonly done: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly quarantined: number;
  /**
   * The import's last phase, once every file is registered: thumbnails and perceptual hashes
   * made so far, of all the images waiting for them.
   */
  readonly pixels?: { readonly done: number; readonly total: number };
}

/** One row of the data browser: an image with its source tags. */
export interface ImageRow {
  readonly id: number;
  readonly sha256: string;
  readonly kind: 'dicom' | 'png' | 'jpeg';
  readonly viewable: boolean;
  readonly width: number | null;
  readonly height: number | null;
  readonly frames: number;
  readonly originalName: string;
  readonly batchId: number;
  readonly importedAt: string;
  readonly hasThumbnail: boolean;
  readonly tags: Record<string, string>;
}

export interface ImageFile {
  readonly id: number;
  readonly kind: 'dicom' | 'png' | 'jpeg';
  readonly viewable: boolean;
  readonly transferSyntax: string | null;
  /** Row and column spacing in mm, when the file states it (measurements in mm). */
  readonly pixelSpacing: [number, number] | null;
  readonly bytes: Uint8Array;
}

export interface ImagePage {
  readonly total: number;
  readonly rows: ImageRow[];
}

export interface BatchSummary {
  readonly id: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly status: 'running' | 'done' | 'cancelled' | 'interrupted';
  readonly actorName: string | null;
  readonly total: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly quarantined: number;
}

export interface NearDuplicatePair {
  readonly imageId: number;
  readonly otherId: number;
  readonly distance: number;
  readonly imageName: string;
  readonly otherName: string;
}

const tagKey = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 letters, digits, _ . or -');
const tagValue = z.string().max(1000);

export const imageFilter = z.strictObject({
  /** Every condition must hold: `eq` exact, `contains` substring (case-insensitive). */
  tags: z.array(z.strictObject({ key: tagKey, op: z.enum(['eq', 'contains']), value: tagValue })).max(20).default([]),
  kind: z.enum(['dicom', 'png', 'jpeg']).optional(),
  batchId: id.optional(),
  viewable: z.boolean().optional(),
  ids: z.array(id).max(100_000).optional(),
});
export type ImageFilter = z.input<typeof imageFilter>;

export const imagesChannels = {
  'images:import': channel<ImportReportView>()({
    request: z.strictObject({
      paths: z.array(z.string().min(1).max(4096)).min(1).max(1000),
      tags: z.record(tagKey, tagValue).default({}),
      /** Store de-identified copies (PS3.15 Basic Profile subset), tagged deidentified=yes. */
      deidentify: z.boolean().default(false),
    }),
    access: ['ops'],
    mutates: true,
  }),
  'images:cancelImport': channel<{ cancelled: boolean }>()({
    request: z.strictObject({ batch: id }),
    access: ['ops'],
    mutates: true,
  }),
  'images:list': channel<ImagePage>()({
    request: z.strictObject({
      filter: imageFilter.default({ tags: [] }),
      sort: z.strictObject({ key: z.union([z.enum(['id', 'originalName', 'importedAt']), tagKey]), dir: z.enum(['asc', 'desc']) }).default({ key: 'id', dir: 'asc' }),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    access: DATA_READERS,
    mutates: false,
    auditRead: true,
  }),
  'images:thumbnail': channel<Uint8Array | null>()({
    request: z.strictObject({ id }),
    access: DATA_READERS,
    mutates: false,
  }),
  /**
   * The stored file of an image (DICOM Part 10, PNG or JPEG bytes) for the viewer, with what the
   * viewer needs to know before decoding. Reading pixels is a PHI read: audited.
   */
  'images:file': channel<ImageFile>()({
    request: z.strictObject({ id }),
    access: [...DATA_READERS, 'annotator'],
    mutates: false,
    auditRead: true,
  }),
  /** Bulk edit of source tags: a null value removes the tag. */
  'images:setTags': channel<{ updated: number }>()({
    request: z.strictObject({
      filter: imageFilter,
      tags: z.record(tagKey, tagValue.nullable()).refine((t) => Object.keys(t).length > 0, 'at least one tag'),
    }),
    access: ['ops'],
    mutates: true,
  }),
  'images:nearDuplicates': channel<NearDuplicatePair[]>()({
    request: z.strictObject({ maxDistance: z.number().int().min(0).max(16).default(4) }),
    access: DATA_READERS,
    mutates: false,
  }),
  'images:batches': channel<BatchSummary[]>()({ request: empty, access: ['ops'], mutates: false }),
  'images:batchReport': channel<ImportItemView[]>()({ request: z.strictObject({ batch: id }), access: ['ops'], mutates: false }),
  'images:tagKeys': channel<string[]>()({ request: empty, access: DATA_READERS, mutates: false }),
} as const;

export const imagesEvents = {
  'import:progress': event<ImportProgressView>(),
} as const;
