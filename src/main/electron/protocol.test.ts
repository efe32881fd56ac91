import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NONCE_PLACEHOLDER } from '../security/csp';
import { APP_SCHEMES, appProtocolResponse, createAppProtocolHandler } from './protocol';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-protocol-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), `<style nonce="${NONCE_PLACEHOLDER}"></style>`);
  fs.writeFileSync(path.join(dir, 'assets', 'a.js'), 'export {};');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('app scheme', () => {
  it('is registered as a standard, secure, fetchable scheme and nothing more', () => {
    expect(APP_SCHEMES).toEqual([{ scheme: 'midc', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves the document with a fresh nonce and the CSP header', () => {
    const res = appProtocolResponse(dir, 'GET', 'midc://app/');
    expect(res.status).toBe(200);
    const csp = res.headers['content-security-policy'] ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(res.body.toString()).toBe(`<style nonce="${nonce}"></style>`);
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    expect(appProtocolResponse(dir, 'GET', 'midc://app/').headers['content-security-policy']).not.toBe(csp);
  });

  it('serves assets and answers HEAD without a body', () => {
    expect(appProtocolResponse(dir, 'GET', 'midc://app/assets/a.js').body.toString()).toBe('export {};');
    const head = appProtocolResponse(dir, 'HEAD', 'midc://app/assets/a.js');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('refuses other hosts, userinfo, other methods and escapes', () => {
    expect(appProtocolResponse(dir, 'GET', 'midc://evil/index.html').status).toBe(404);
    expect(appProtocolResponse(dir, 'GET', 'midc://app.evil/index.html').status).toBe(404);
    expect(appProtocolResponse(dir, 'GET', 'midc://x@app/index.html').status).toBe(404);
    expect(appProtocolResponse(dir, 'POST', 'midc://app/index.html').status).toBe(405);
    expect(appProtocolResponse(dir, 'GET', 'midc://app/%2e%2e/%2e%2e/etc/passwd').status).toBe(404);
    expect(appProtocolResponse(dir, 'GET', 'midc://app/missing.js').status).toBe(404);
  });

  it('turns the answer into a fetch Response for protocol.handle', async () => {
    const handle = createAppProtocolHandler(dir);
    const ok = handle(new Request('midc://app/assets/a.js'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/javascript/);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.text()).toBe('export {};');
    expect(handle(new Request('midc://app/nope')).status).toBe(404);
  });

  it('answers 500 instead of rejecting when the bundle directory is gone', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handle = createAppProtocolHandler(path.join(dir, 'does-not-exist'));
    expect(handle(new Request('midc://app/')).status).toBe(500);
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});
