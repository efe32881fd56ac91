import { z } from 'zod';
import { MISSED, quantMatrixSchema, type QuantMatrix } from '../quant/matrix';
import { channel } from './channel';
import { empty, id } from './common';
import type { RunView } from './evaluation';

/**
 * Quantified labels (DESIGN §2.6, issue 7): value matrices over true class × predicted class
 * (+ "missed", + "spurious" for detection), linked to test standards, used to re-score runs and
 * to rank images by what their errors cost.
 *
 * A matrix is a lineage of versions sharing one name. The newest version is the matrix; it is
 * edited in place until a run is first scored with it, afterwards an edit appends a new version
 * and moves the links (and re-scorings) of the old one to it, which makes the snapshots of the
 * runs scored with the old version stale (DESIGN §4.1).
 */

/** Where a version stands: the newest of its name and usable, replaced by a newer one, or disabled. */
export type QuantStatus = 'active' | 'superseded' | 'disabled';

export interface QuantLinkView {
  readonly standardId: number;
  readonly standardName: string;
  readonly standardMetric: string;
  readonly linkedAt: string;
}

/** One version of a matrix. */
export interface QuantMatrixView {
  readonly id: number;
  readonly name: string;
  readonly version: number;
  readonly description: string;
  /** The dataset classes the matrix covers (rows and columns of the editor). */
  readonly classes: string[];
  /** The DESIGN §7 matrix JSON (`name` equals the matrix's name). */
  readonly definition: QuantMatrix;
  readonly status: QuantStatus;
  /** When a run was first scored with this version; null while it may still be edited in place. */
  readonly usedAt: string | null;
  readonly disabledAt: string | null;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly updatedAt: string | null;
  /** The standards this version is linked to now. */
  readonly links: QuantLinkView[];
  /** How many versions the matrix (its name) has. */
  readonly versions: number;
}

export interface QuantMatrixDetail {
  /** The newest version. */
  readonly matrix: QuantMatrixView;
  /** Every version, newest first. */
  readonly versions: QuantMatrixView[];
  /** Every link ever made to any version, newest first. */
  readonly linkHistory: (QuantLinkView & { readonly matrixId: number; readonly version: number; readonly unlinkedAt: string | null })[];
}

export interface QuantUpdateResult {
  readonly matrix: QuantMatrixView;
  /** True when the edited version was used, so the edit became a new version. */
  readonly newVersion: boolean;
}

/** The value of one image in one run (the image's "quantified label" tag). */
export interface QuantImageValue {
  readonly runId: number;
  readonly runName: string;
  readonly matrixId: number;
  readonly name: string;
  readonly version: number;
  readonly value: number;
}

export interface QuantRankRun {
  readonly runId: number;
  readonly name: string;
  /** False when the run's current snapshot was not scored with this matrix version (re-score it). */
  readonly scored: boolean;
  readonly score: number | null;
}

export interface QuantRankRow {
  readonly imageId: number;
  readonly imageName: string;
  readonly trueClass: string | null;
  /** Per run id: the image's value, null when the run has no value for it. */
  readonly values: Record<number, number | null>;
  /** Per run id: the predicted class (classification), null for missed or detection. */
  readonly predicted: Record<number, string | null>;
  /** Mean value over the runs that have one: the ranking key, lowest (most costly) first. */
  readonly mean: number;
  readonly min: number;
}

export interface QuantRankView {
  readonly matrix: { readonly id: number; readonly name: string; readonly version: number };
  readonly runs: QuantRankRun[];
  readonly rows: QuantRankRow[];
  /** Images with a value in at least one run, before `limit`. */
  readonly total: number;
}

const WRITERS = ['quant_user'] as const;
const READERS = ['quant_user', 'algo_engineer', 'algo_admin'] as const;
const RESCORERS = ['quant_user', 'algo_engineer'] as const;

const className = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((c) => c !== MISSED && c !== 'spurious', { message: 'a class may not be called "missed" or "spurious" (outcomes of the matrix)' });

/** The matrix fields of a create or update; `definition.name` may be left out (it is the matrix's name). */
const matrixFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).default(''),
  classes: z.array(className).min(1).max(500),
  definition: quantMatrixSchema.extend({ name: z.string().optional() }),
};

export const quantChannels = {
  /** The newest version of every matrix (active and disabled). */
  'quant:list': channel<QuantMatrixView[]>()({ request: empty, access: READERS, mutates: false }),
  /** A matrix with all its versions; `id` may be any version. */
  'quant:get': channel<QuantMatrixDetail>()({ request: z.strictObject({ id }), access: READERS, mutates: false }),
  'quant:create': channel<QuantMatrixView>()({ request: z.strictObject(matrixFields), access: WRITERS, mutates: true }),
  /**
   * Edits the newest version `id`: in place while no run was scored with it, else as a new
   * version (the name then stays).
   */
  'quant:update': channel<QuantUpdateResult>()({ request: z.strictObject({ id, ...matrixFields }), access: WRITERS, mutates: true }),
  /** Disables the matrix (its newest version): never deleted, no longer scored or linkable. */
  'quant:disable': channel<QuantMatrixView>()({ request: z.strictObject({ id }), access: WRITERS, mutates: true }),
  'quant:link': channel<QuantMatrixView>()({ request: z.strictObject({ matrixId: id, standardId: id }), access: WRITERS, mutates: true }),
  'quant:unlink': channel<QuantMatrixView>()({ request: z.strictObject({ matrixId: id, standardId: id }), access: WRITERS, mutates: true }),
  /**
   * Scores a run with an active matrix from its stored predictions (no re-import); the score
   * becomes part of the run's snapshot and stays with the run (a new version of the matrix makes
   * the snapshot stale).
   */
  'quant:rescore': channel<RunView>()({ request: z.strictObject({ runId: id, matrixId: id }), access: RESCORERS, mutates: true }),
  /** Images by value across runs under one matrix version, the most costly first. */
  'quant:rank': channel<QuantRankView>()({
    request: z.strictObject({ runIds: z.array(id).min(1).max(50), matrixId: id, limit: z.number().int().min(1).max(10_000).default(200) }),
    access: READERS,
    mutates: false,
  }),
  /** Every value tag of one image: its value per run and matrix. */
  'quant:imageValues': channel<QuantImageValue[]>()({ request: z.strictObject({ imageId: id }), access: READERS, mutates: false }),
} as const;
