import { describe, expect, it } from 'vitest';
import { missingDisplayMessage, parseHostArgs } from './args';

describe('parseHostArgs', () => {
  it('defaults to a headed window on the default workspace', () => {
    expect(parseHostArgs([])).toEqual({ workspace: null, headless: false, help: false, ignored: [] });
  });

  it('reads both --workspace forms and --headless, and sets aside the rest', () => {
    expect(parseHostArgs(['--workspace', '/data/ws', '--headless', '--kiosk'])).toEqual({
      workspace: '/data/ws',
      headless: true,
      help: false,
      ignored: ['--kiosk'],
    });
    expect(parseHostArgs(['--workspace=/w']).workspace).toBe('/w');
  });

  it('refuses --workspace without a folder', () => {
    expect(() => parseHostArgs(['--workspace'])).toThrow(/needs a folder/);
    expect(() => parseHostArgs(['--workspace', '--headless'])).toThrow(/needs a folder/);
    expect(() => parseHostArgs(['--workspace='])).toThrow(/needs a folder/);
  });
});

describe('missingDisplayMessage', () => {
  it('explains xvfb-run and --headless when a window is asked for without a display', () => {
    expect(missingDisplayMessage({}, false, 'linux')).toMatch(/xvfb-run -a npm start[\s\S]*--headless/);
  });

  it('is silent headless, with a display, or off Linux', () => {
    expect(missingDisplayMessage({}, true, 'linux')).toBeNull();
    expect(missingDisplayMessage({ DISPLAY: ':99' }, false, 'linux')).toBeNull();
    expect(missingDisplayMessage({ WAYLAND_DISPLAY: 'wayland-0' }, false, 'linux')).toBeNull();
    expect(missingDisplayMessage({}, false, 'darwin')).toBeNull();
  });
});
