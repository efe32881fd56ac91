import { z } from 'zod';
import type { Role } from '../roles';
import { channel } from './channel';
import { id } from './common';
import { imageFilter } from './images';

export const DATASET_PURPOSES = ['to_label', 'labeling', 'training', 'training_test', 'application_test'] as const;
export type DatasetPurpose = (typeof DATASET_PURPOSES)[number];

/** Who may build a dataset of each purpose (DESIGN §1): checked in main per request. */
export const DATASET_BUILDERS: Record<DatasetPurpose, readonly Role[]> = {
  to_label: ['ops'],
  labeling: ['labeling_admin'],
  training: ['algo_engineer'],
  training_test: ['algo_engineer'],
  application_test: ['algo_engineer'],
};

export interface DatasetSummary {
  readonly id: number;
  readonly name: string;
  readonly purpose: DatasetPurpose;
  readonly description: string;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly latestVersion: number;
  readonly imageCount: number;
  readonly frozen: boolean;
  readonly imageSetHash: string;
}

const DATASET_ROLES = ['ops', 'labeling_admin', 'algo_engineer', 'algo_admin', 'expert'] as const;

export const datasetsChannels = {
  /** A new dataset (version 1) from a data-browser filter or a selection of image ids. */
  'datasets:create': channel<DatasetSummary>()({
    request: z.strictObject({
      name: z.string().trim().min(1).max(200),
      purpose: z.enum(DATASET_PURPOSES),
      description: z.string().max(10_000).default(''),
      filter: imageFilter,
    }),
    access: ['ops', 'labeling_admin', 'algo_engineer'],
    mutates: true,
  }),
  'datasets:list': channel<DatasetSummary[]>()({
    request: z.strictObject({ purpose: z.enum(DATASET_PURPOSES).optional() }),
    access: DATASET_ROLES,
    mutates: false,
  }),
  'datasets:imageIds': channel<number[]>()({
    request: z.strictObject({ id, version: z.number().int().positive().optional() }),
    access: DATASET_ROLES,
    mutates: false,
  }),
} as const;
