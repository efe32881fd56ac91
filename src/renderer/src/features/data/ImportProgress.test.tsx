import { cleanup, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { i18next, initI18n } from '../../i18n';
import { ImportProgress } from './ImportProgress';

beforeAll(() => initI18n('en'));
afterEach(cleanup);
afterAll(() => void i18next.changeLanguage('en'));

const files = { batch: 3, total: 2000, done: 2000, imported: 1990, duplicates: 6, quarantined: 4 };

describe('import progress', () => {
  it('shows the files, then the thumbnails being made once every file is registered', () => {
    const { rerender } = render(<ImportProgress progress={files} />);
    expect(screen.getByTestId('import-count-done').textContent).toBe('2000 of 2000 files');
    expect(screen.queryByTestId('import-pixels')).toBeNull();
    rerender(<ImportProgress progress={{ ...files, pixels: { done: 640, total: 1990 } }} />);
    expect(screen.getByTestId('import-pixels-count').textContent).toBe('Making thumbnails and image hashes: 640 of 1990');
    const bar = screen.getByLabelText('Thumbnail progress') as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([640, 1990]);
  });

  it('says it in Chinese too', async () => {
    await i18next.changeLanguage('zh-CN');
    render(<ImportProgress progress={{ ...files, pixels: { done: 1, total: 2 } }} />);
    expect(screen.getByTestId('import-pixels-count').textContent).toBe('正在生成缩略图和图像哈希：1 / 2');
    await i18next.changeLanguage('en');
  });
});
