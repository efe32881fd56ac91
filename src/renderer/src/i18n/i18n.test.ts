import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';

function keysOf(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keysOf(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

function leaves(obj: object): [string, unknown][] {
  return keysOf(obj).map((path) => [path, path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj)]);
}

describe('i18n catalogs', () => {
  it('every English key exists in Chinese', () => {
    const zh = new Set(keysOf(zhCN));
    expect(keysOf(en).filter((k) => !zh.has(k))).toEqual([]);
  });

  it('every Chinese key exists in English', () => {
    const english = new Set(keysOf(en));
    expect(keysOf(zhCN).filter((k) => !english.has(k))).toEqual([]);
  });

  it('every message is a non-empty string in both languages', () => {
    for (const [path, value] of [...leaves(en), ...leaves(zhCN)]) {
      expect(typeof value, path).toBe('string');
      expect((value as string).trim().length, path).toBeGreaterThan(0);
    }
  });

  it('both languages use the same interpolation placeholders for each key', () => {
    const placeholders = (s: string) => [...s.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();
    const zh = new Map(leaves(zhCN));
    for (const [path, value] of leaves(en)) {
      expect(placeholders(zh.get(path) as string), path).toEqual(placeholders(value as string));
    }
  });
});
