import { z } from 'zod';
import { channel } from './channel';
import { empty, id } from './common';

export type ModelTask = 'classification' | 'detection';
export const STANDARD_METRICS = ['accuracy', 'precision', 'recall', 'specificity', 'f1', 'auc', 'ap', 'quant'] as const;
export type StandardMetric = (typeof STANDARD_METRICS)[number];

export interface ModelView {
  readonly id: number;
  readonly name: string;
  readonly summary: string;
  readonly task: ModelTask;
  readonly createdAt: string;
}

export interface ParameterOptionView {
  readonly id: number;
  readonly value: string;
  readonly disabled: boolean;
}

export interface ParameterView {
  readonly id: number;
  readonly name: string;
  readonly type: 'text' | 'number' | 'option';
  readonly unit: string;
  readonly min: number | null;
  readonly max: number | null;
  readonly disabled: boolean;
  readonly options: ParameterOptionView[];
}

export interface StandardView {
  readonly id: number;
  readonly name: string;
  readonly metric: StandardMetric;
  readonly className: string | null;
  readonly comparison: '>=' | '<=';
  readonly threshold: number;
  readonly iou: number | null;
  readonly disabled: boolean;
  readonly disabledAt: string | null;
}

export interface PresetView {
  readonly id: number;
  readonly name: string;
  readonly modelId: number | null;
  readonly values: Record<string, string | number>;
  readonly disabled: boolean;
}

const READERS = ['algo_admin', 'algo_engineer', 'expert', 'quant_user'] as const;
const ADMIN = ['algo_admin'] as const;
const name = z.string().trim().min(1).max(200);
const ids = z.array(id).min(1).max(1000);

export const registriesChannels = {
  'models:list': channel<ModelView[]>()({ request: empty, access: READERS, mutates: false }),
  'models:create': channel<ModelView>()({
    request: z.strictObject({ name, summary: z.string().max(10_000).default(''), task: z.enum(['classification', 'detection']) }),
    access: ADMIN,
    mutates: true,
  }),
  'models:update': channel<ModelView>()({
    request: z.strictObject({ id, name: name.optional(), summary: z.string().max(10_000).optional() }),
    access: ADMIN,
    mutates: true,
  }),
  'params:list': channel<ParameterView[]>()({ request: empty, access: READERS, mutates: false }),
  'params:create': channel<ParameterView>()({
    request: z
      .strictObject({
        name,
        type: z.enum(['text', 'number', 'option']),
        unit: z.string().max(50).default(''),
        min: z.number().finite().nullable().default(null),
        max: z.number().finite().nullable().default(null),
        options: z.array(z.string().trim().min(1).max(200)).max(500).default([]),
      })
      .refine((p) => p.type === 'number' || (p.min === null && p.max === null), { message: 'only number parameters have a range', path: ['min'] })
      .refine((p) => p.min === null || p.max === null || p.min <= p.max, { message: 'min must not exceed max', path: ['max'] })
      .refine((p) => p.type === 'option' || p.options.length === 0, { message: 'only option parameters have options', path: ['options'] }),
    access: ADMIN,
    mutates: true,
  }),
  'params:addOption': channel<ParameterView>()({
    request: z.strictObject({ parameterId: id, value: z.string().trim().min(1).max(200) }),
    access: ADMIN,
    mutates: true,
  }),
  /** Widen a numeric range (null = unbounded). Narrowing is refused by the database. */
  'params:widen': channel<ParameterView>()({
    request: z.strictObject({ id, min: z.number().finite().nullable(), max: z.number().finite().nullable() }),
    access: ADMIN,
    mutates: true,
  }),
  /** Batch enable/disable of parameters and options (multi-select). */
  'params:setDisabled': channel<{ parameters: number; options: number }>()({
    request: z.strictObject({ parameterIds: z.array(id).max(1000).default([]), optionIds: z.array(id).max(1000).default([]), disabled: z.boolean() }),
    access: ADMIN,
    mutates: true,
  }),
  'standards:list': channel<StandardView[]>()({ request: empty, access: READERS, mutates: false }),
  'standards:create': channel<StandardView>()({
    request: z.strictObject({
      name,
      metric: z.enum(STANDARD_METRICS),
      className: z.string().trim().min(1).max(200).nullable().default(null),
      comparison: z.enum(['>=', '<=']).default('>='),
      threshold: z.number().finite(),
      iou: z.number().gt(0).max(1).nullable().default(null),
    }),
    access: ADMIN,
    mutates: true,
  }),
  /** Standards are created and disabled only (results refer to them). */
  'standards:disable': channel<{ disabled: number }>()({ request: z.strictObject({ ids }), access: ADMIN, mutates: true }),
  'presets:list': channel<PresetView[]>()({ request: empty, access: READERS, mutates: false }),
  'presets:create': channel<PresetView>()({
    request: z.strictObject({
      name,
      modelId: id.nullable().default(null),
      values: z.record(z.string().min(1).max(200), z.union([z.string().max(1000), z.number().finite()])),
    }),
    access: ADMIN,
    mutates: true,
  }),
  'presets:setDisabled': channel<{ updated: number }>()({
    request: z.strictObject({ ids, disabled: z.boolean() }),
    access: ADMIN,
    mutates: true,
  }),
} as const;
