import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndLogin, testApp } from '../../../test/helpers/workspace';
import type { App } from '../app';
import type { Sender } from '../ipc/sender';

let app: App;
let cleanup: () => void;
let admin: Sender;
let engineer: Sender;

async function ok<T = Record<string, unknown>>(who: Sender, channel: string, payload: unknown): Promise<T> {
  const r = await app.dispatch(who, channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  ({ app, cleanup } = testApp());
  ({ alan: admin, eve: engineer } = await seedAndLogin(app, { alan: ['algo_admin'], eve: ['algo_engineer'] }));
});
afterAll(() => cleanup());

describe('the model registry', () => {
  it('creates models and edits only their name and summary', async () => {
    const m = await ok<{ id: number }>(admin, 'models:create', { name: 'NoduleNet', task: 'classification', summary: 'v1' });
    expect(await ok(admin, 'models:update', { id: m.id, summary: 'v2 with augmentation' })).toMatchObject({ name: 'NoduleNet', summary: 'v2 with augmentation' });
    expect(await app.dispatch(admin, 'models:create', { name: 'nodulenet', task: 'detection' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await ok<unknown[]>(engineer, 'models:list', {})).toHaveLength(1);
    expect(await app.dispatch(engineer, 'models:create', { name: 'x', task: 'detection' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('algorithm parameters', () => {
  it('widen a numeric range and refuse narrowing with the database rule as the message', async () => {
    const p = await ok<{ id: number }>(admin, 'params:create', { name: 'learning_rate', type: 'number', min: 0.001, max: 0.1 });
    expect(await ok(admin, 'params:widen', { id: p.id, min: 0.0001, max: null })).toMatchObject({ min: 0.0001, max: null });
    const narrowed = await app.dispatch(admin, 'params:widen', { id: p.id, min: 0.01, max: null });
    expect(narrowed).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/only be widened/) } });
  });

  it('add options, never edit them, and disable parameters and options in one batch', async () => {
    const p = await ok<{ id: number; options: { id: number }[] }>(admin, 'params:create', { name: 'optimizer', type: 'option', options: ['adam', 'sgd'] });
    const withMore = await ok<{ options: { value: string }[] }>(admin, 'params:addOption', { parameterId: p.id, value: 'adamw' });
    expect(withMore.options.map((o) => o.value)).toEqual(['adam', 'sgd', 'adamw']);
    expect(await app.dispatch(admin, 'params:addOption', { parameterId: p.id, value: 'sgd' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const lr = (await ok<{ id: number; name: string }[]>(admin, 'params:list', {})).find((x) => x.name === 'learning_rate');
    expect(await ok(admin, 'params:setDisabled', { parameterIds: [lr?.id], optionIds: [p.options[1]?.id], disabled: true })).toEqual({ parameters: 1, options: 1 });
    const listed = await ok<{ name: string; disabled: boolean; options: { value: string; disabled: boolean }[] }[]>(admin, 'params:list', {});
    expect(listed.find((x) => x.name === 'learning_rate')?.disabled).toBe(true);
    expect(listed.find((x) => x.name === 'optimizer')?.options.find((o) => o.value === 'sgd')?.disabled).toBe(true);
    expect(await app.dispatch(admin, 'params:setDisabled', { parameterIds: [9999], disabled: true })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuse a preset with a value out of range, a disabled option or an unknown parameter', async () => {
    await ok(admin, 'params:create', { name: 'epochs', type: 'number', min: 1, max: 500 });
    const bad = await app.dispatch(admin, 'presets:create', { name: 'bad', values: { epochs: 1000, optimizer: 'sgd', nope: 1 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!bad.ok) {
      expect(bad.error.message).toMatch(/epochs: 1000 is outside/);
      expect(bad.error.message).toMatch(/optimizer: the option "sgd" is disabled/);
      expect(bad.error.message).toMatch(/nope: no such parameter/);
    }
    expect(await ok(admin, 'presets:create', { name: 'baseline', values: { epochs: 100, optimizer: 'adam' } })).toMatchObject({ name: 'baseline', disabled: false });
  });
});

describe('test standards', () => {
  it('are created and disabled, never changed back', async () => {
    const s = await ok<{ id: number }>(admin, 'standards:create', { name: 'Accuracy 90', metric: 'accuracy', threshold: 0.9 });
    expect(await ok(admin, 'standards:disable', { ids: [s.id] })).toEqual({ disabled: 1 });
    expect(await ok(admin, 'standards:disable', { ids: [s.id] })).toEqual({ disabled: 0 });
    expect((await ok<{ disabled: boolean }[]>(engineer, 'standards:list', {}))[0]?.disabled).toBe(true);
    expect(await app.dispatch(admin, 'standards:create', { name: 'acc iou', metric: 'accuracy', threshold: 0.9, iou: 0.5 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });
});
