import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ORIGIN } from '../../shared/ipc-constants';
import { isTrustedSender } from '../ipc/sender';
import { appPathname, frameOrigin, isAppUrl, senderOf, wrapInitScript } from './origin';

describe('isAppUrl', () => {
  it('accepts URLs of the app origin, any path, any case of scheme and host', () => {
    for (const url of [
      'https://midc.invalid/',
      'https://midc.invalid/assets/index-abc.js',
      'HTTPS://MIDC.INVALID/index.html?x=1#y',
      'https://midc.invalid:443/a',
    ]) {
      expect(isAppUrl(url, CHROMIUM_ORIGIN), url).toBe(true);
    }
  });

  it('refuses look-alikes, other schemes, ports, userinfo and junk', () => {
    for (const url of [
      'http://midc.invalid/',
      'https://midc.invalid.evil.example/',
      'https://evil.example/midc.invalid',
      'https://midc.invalid@evil.example/',
      'https://user:pw@midc.invalid/',
      'https://midc.invalid:8443/',
      'wss://midc.invalid/',
      'https://example.org/x.png',
      'data:text/html,hi',
      'blob:https://midc.invalid/uuid',
      'file:///etc/passwd',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url, CHROMIUM_ORIGIN), url).toBe(false);
    }
  });

  it('keeps the pathname encoded for the bundle resolver, which decodes and checks it', () => {
    // The URL parser resolves dot segments, even encoded ones; encoded separators stay.
    expect(appPathname('https://midc.invalid/a/%2e%2e/b?q')).toBe('/b');
    expect(appPathname('https://midc.invalid/a%5c..%5c..%2fetc/passwd')).toBe('/a%5c..%5c..%2fetc/passwd');
    expect(appPathname('https://midc.invalid')).toBe('/');
  });
});

describe('senderOf', () => {
  it('derives the origin from the frame URL', () => {
    expect(senderOf('page-1', 'https://midc.invalid/#/inbox', true)).toEqual({
      id: 'page-1',
      origin: CHROMIUM_ORIGIN,
      isMainFrame: true,
    });
  });

  it('gives null or an opaque origin for frames that are not ours, which the registry refuses', () => {
    expect(frameOrigin('')).toBeNull();
    expect(frameOrigin('about:blank')).toBe('null');
    expect(frameOrigin('data:text/html,x')).toBe('null');
    for (const [url, main] of [
      ['', true],
      ['about:blank', true],
      ['https://evil.example/', true],
      ['https://midc.invalid/', false],
    ] as const) {
      expect(isTrustedSender(senderOf('p', url, main), CHROMIUM_ORIGIN), url).toBe(false);
    }
    expect(isTrustedSender(senderOf('p', 'https://midc.invalid/x', true), CHROMIUM_ORIGIN)).toBe(true);
  });
});

describe('wrapInitScript', () => {
  it('keeps the script top-level names out of the global scope', () => {
    const sandbox: Record<string, unknown> = {};
    vm.createContext(sandbox);
    vm.runInContext(wrapInitScript('var leaked = 1; function helper() {}\nglobalThis.api = leaked;'), sandbox);
    expect(sandbox.api).toBe(1);
    expect('leaked' in sandbox).toBe(false);
    expect('helper' in sandbox).toBe(false);
  });
});
