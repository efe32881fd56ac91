/**
 * The Electron wiring, driven against a fake `electron` module (the real one would try to
 * download its binary). Each fake records what the host attached, so the tests can check
 * the guards are in place on every session and web contents, and then fire Electron's events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../shared/contract';
import { EVENT_CHANNEL } from '../../shared/ipc-constants';
import { iterateRows } from '../audit/audit-repository';
import { createApp } from '../app';
import { windowOptions } from './policy';

const fake = await vi.hoisted(async () => {
  // Imported here: vi.hoisted runs before the file's own imports are initialised.
  const { EventEmitter } = await import('node:events');
  type Listener = (...args: never[]) => unknown;

  class FakeSession {
    beforeRequest: Array<(details: unknown, cb: (r: { cancel: boolean }) => void) => void> = [];
    permissionRequest: Listener | null = null;
    permissionCheck: Listener | null = null;
    devicePermission: Listener | null = null;
    spellchecker = true;
    cleared: unknown[] = [];
    webRequest = {
      onBeforeRequest: (_filter: { urls: string[] }, listener: FakeSession['beforeRequest'][number]) => {
        expectFilter.push(_filter);
        this.beforeRequest.push(listener);
      },
    };
    setPermissionRequestHandler(h: Listener) {
      this.permissionRequest = h;
    }
    setPermissionCheckHandler(h: Listener) {
      this.permissionCheck = h;
    }
    setDevicePermissionHandler(h: Listener) {
      this.devicePermission = h;
    }
    setSpellCheckerEnabled(on: boolean) {
      this.spellchecker = on;
    }
    async clearStorageData(options: unknown) {
      this.cleared.push(options);
    }
  }
  const expectFilter: Array<{ urls: string[] }> = [];

  let nextId = 1;
  class FakeWebContents extends EventEmitter {
    id = nextId++;
    mainFrame = { origin: 'midc://app' };
    session: FakeSession;
    destroyed = false;
    sent: unknown[][] = [];
    scripts: string[] = [];
    windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
    storedLanguage: string | null = 'zh-CN';
    constructor(ses: FakeSession) {
      super();
      this.session = ses;
    }
    setWindowOpenHandler(h: FakeWebContents['windowOpenHandler']) {
      this.windowOpenHandler = h;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    isDestroyed() {
      return this.destroyed;
    }
    closeDevTools() {}
    async executeJavaScript(code: string) {
      this.scripts.push(code);
      return code.startsWith('localStorage.getItem') ? this.storedLanguage : undefined;
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    webContents: FakeWebContents;
    loaded: string[] = [];
    focused = 0;
    constructor(public options: { webPreferences?: unknown }) {
      super();
      this.webContents = new FakeWebContents(state.defaultSession);
      state.windows.push(this);
      state.contents.set(this.webContents.id, this.webContents);
      // Electron emits web-contents-created for every contents, windows included.
      state.app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
    show() {}
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      this.focused++;
    }
  }

  class FakeApp extends EventEmitter {
    isPackaged = false;
    lock = true;
    calls: string[] = [];
    exitCode: number | null = null;
    resolveReady: () => void = () => {};
    readyPromise = new Promise<void>((r) => (this.resolveReady = r));
    enableSandbox() {
      this.calls.push('enableSandbox');
    }
    requestSingleInstanceLock() {
      this.calls.push('requestSingleInstanceLock');
      return this.lock;
    }
    quit() {
      this.calls.push('quit');
    }
    exit(code: number) {
      this.exitCode = code;
    }
    whenReady() {
      return this.readyPromise;
    }
  }

  const state = {
    app: new FakeApp(),
    defaultSession: new FakeSession(),
    windows: [] as FakeBrowserWindow[],
    contents: new Map<number, FakeWebContents>(),
    ipc: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, (req: Request) => Response>(),
    errorBoxes: [] as string[],
    filters: expectFilter,
    reset() {
      state.app = new FakeApp();
      state.defaultSession = new FakeSession();
      state.windows = [];
      state.contents.clear();
      state.ipc.clear();
      state.schemes = [];
      state.protocolHandlers.clear();
      state.errorBoxes = [];
      expectFilter.length = 0;
    },
  };

  // The module's exports delegate to the current state so each test starts fresh.
  const electron = {
    get app() {
      return state.app;
    },
    BrowserWindow: FakeBrowserWindow,
    dialog: { showErrorBox: (_t: string, msg: string) => state.errorBoxes.push(msg) },
    ipcMain: {
      handle: (name: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => {
        if (state.ipc.has(name)) throw new Error(`second handler for ${name}`);
        state.ipc.set(name, fn);
      },
      removeHandler: (name: string) => state.ipc.delete(name),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        state.app.calls.push('registerSchemesAsPrivileged');
        state.schemes.push(...schemes);
      },
      handle: (scheme: string, fn: (req: Request) => Response) => state.protocolHandlers.set(scheme, fn),
    },
    session: {
      get defaultSession() {
        return state.defaultSession;
      },
    },
    webContents: { fromId: (id: number) => state.contents.get(id) },
  };
  return { state, electron, FakeSession, FakeWebContents };
});

// Not spread: the getters of `app` and `session.defaultSession` must stay live across resets.
vi.mock('electron', () => Object.assign(fake.electron, { default: fake.electron }));

const { startElectronHost } = await import('./host');

let base: string;
let workspaceDir: string;
let mainDir: string;

beforeEach(() => {
  fake.state.reset();
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'midc-host-'));
  workspaceDir = path.join(base, 'ws');
  mainDir = path.join(base, 'out', 'main');
  fs.mkdirSync(path.join(base, 'out', 'renderer'), { recursive: true });
  fs.writeFileSync(path.join(base, 'out', 'renderer', 'index.html'), '<!doctype html><title>MIDC</title>');
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  fake.state.app.emit('will-quit', { preventDefault: () => undefined });
  vi.restoreAllMocks();
  fs.rmSync(base, { recursive: true, force: true });
});

async function startReady(argv: string[] = ['electron', '.', '--workspace', workspaceDir]) {
  const handle = startElectronHost({ argv, mainDir, env: {}, platform: 'linux' });
  if (!handle) throw new Error('host did not start');
  fake.state.app.resolveReady();
  await handle.ready;
  const midc = handle.app();
  if (!midc) throw new Error('app not composed');
  const win = fake.state.windows[0];
  if (!win) throw new Error('no window');
  return { handle, midc, win, contents: win.webContents };
}

function auditActions(midc: NonNullable<ReturnType<typeof createApp>>) {
  return [...iterateRows(midc.services.db)].map((r) => r.action);
}

const navEvent = (url: string) => ({ url, preventDefault: vi.fn() });

describe('Electron host wiring', () => {
  it('sandboxes, registers the scheme and takes the instance lock before ready', () => {
    const handle = startElectronHost({ argv: ['midc'], mainDir, env: { MIDC_WORKSPACE: workspaceDir }, platform: 'linux' });
    expect(handle).not.toBeNull();
    expect(fake.state.app.calls).toEqual(['enableSandbox', 'registerSchemesAsPrivileged', 'requestSingleInstanceLock']);
    expect(fake.state.schemes).toEqual([{ scheme: 'midc', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    // Nothing is composed and no window exists until ready.
    expect(handle?.app()).toBeNull();
    expect(fake.state.windows).toHaveLength(0);
  });

  it('installs exactly one request guard on the default session and on every later session', async () => {
    const early = new fake.FakeSession();
    startElectronHost({ argv: ['midc', '--workspace', workspaceDir], mainDir, env: {}, platform: 'linux' });
    fake.state.app.emit('session-created', early);
    fake.state.app.resolveReady();
    await Promise.resolve();
    const later = new fake.FakeSession();
    // session-created also fires for the default session; the guard must stay single.
    fake.state.app.emit('session-created', fake.state.defaultSession);
    fake.state.app.emit('session-created', later);
    fake.state.app.emit('session-created', later);
    await new Promise((r) => setTimeout(r, 0));
    for (const ses of [fake.state.defaultSession, early, later]) {
      expect(ses.beforeRequest).toHaveLength(1);
      expect(ses.spellchecker).toBe(false);
    }
    expect(fake.state.filters.every((f) => f.urls.length === 1 && f.urls[0] === '<all_urls>')).toBe(true);
  });

  it('cancels foreign requests, audits them as security:blocked, and lets the app origin through', async () => {
    const { midc } = await startReady();
    const [listener] = fake.state.defaultSession.beforeRequest;
    const answer = (url: string) => {
      let result: { cancel: boolean } | undefined;
      listener?.({ url, method: 'GET', resourceType: 'xhr' }, (r) => (result = r));
      return result;
    };
    expect(answer('https://evil.example/exfil?phi=1')).toEqual({ cancel: true });
    expect(answer('file:///etc/passwd')).toEqual({ cancel: true });
    expect(answer('midc://app/assets/a.js')).toEqual({ cancel: false });
    expect(answer('data:image/png;base64,AA==')).toEqual({ cancel: false });
    const actions = auditActions(midc);
    expect(actions.filter((a) => a === 'security:blocked')).toHaveLength(2);
  });

  it('denies every permission request, check and device request', async () => {
    await startReady();
    const ses = fake.state.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'whatever']) {
      const cb = vi.fn();
      (ses.permissionRequest as unknown as (w: unknown, p: string, cb: (g: boolean) => void) => void)(null, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect((ses.permissionCheck as unknown as (w: unknown, p: string) => boolean)(null, permission)).toBe(false);
    }
    expect((ses.devicePermission as unknown as () => boolean)()).toBe(false);
  });

  it('registers an ipcMain handler for every channel and passes the real sender to dispatch', async () => {
    const { contents } = await startReady();
    expect([...fake.state.ipc.keys()].sort()).toEqual([...channelNames].sort());
    const call = fake.state.ipc.get('auth:status');
    const ok = (await call?.({ sender: contents, senderFrame: contents.mainFrame }, {})) as { ok: boolean };
    expect(ok.ok).toBe(true);
    const subFrame = { origin: 'midc://app' };
    const fromIframe = (await call?.({ sender: contents, senderFrame: subFrame }, {})) as { ok: boolean; error?: { code: string } };
    expect(fromIframe).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const gone = (await call?.({ sender: contents, senderFrame: null }, {})) as { ok: boolean; error?: { code: string } };
    expect(gone).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const foreign = { origin: 'https://evil.example' };
    const otherContents = { id: 99, mainFrame: foreign };
    expect(await call?.({ sender: otherContents, senderFrame: foreign }, {})).toMatchObject({ ok: false });
  });

  it('builds the window from the factory options and loads the app origin', async () => {
    const { win } = await startReady();
    expect(fake.state.windows).toHaveLength(1);
    expect(win.options).toEqual(
      windowOptions({ preload: path.join(base, 'out', 'preload', 'index.js'), kiosk: false, production: false }),
    );
    expect(win.loaded).toEqual(['midc://app/']);
  });

  it('honours --kiosk and turns DevTools off in the packaged app', async () => {
    fake.state.app.isPackaged = true;
    const { win, contents } = await startReady(['midc', '--kiosk', '--workspace', workspaceDir]);
    expect(win.options).toMatchObject({ kiosk: true, webPreferences: { devTools: false } });
    const event = { preventDefault: vi.fn() };
    contents.emit('before-input-event', event, { key: 'F12', code: 'F12', control: false, meta: false, shift: false, alt: false });
    expect(event.preventDefault).toHaveBeenCalled();
    const typing = { preventDefault: vi.fn() };
    contents.emit('before-input-event', typing, { key: 'a', code: 'KeyA', control: false, meta: false, shift: false, alt: false });
    expect(typing.preventDefault).not.toHaveBeenCalled();
  });

  it('serves the renderer bundle through protocol.handle', async () => {
    await startReady();
    const handler = fake.state.protocolHandlers.get('midc');
    const res = handler?.(new Request('midc://app/'));
    expect(res?.status).toBe(200);
    expect(res?.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(handler?.(new Request('midc://app/%2e%2e/%2e%2e/ws/midc.sqlite'))?.status).toBe(404);
  });

  it('denies foreign navigation, redirects, frame navigation, new windows and webviews', async () => {
    const { contents, midc } = await startReady();
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      for (const url of ['https://evil.example/', 'midc://app.evil/', 'midc://app@evil/', 'javascript:alert(1)', 'file:///etc/passwd']) {
        const event = navEvent(url);
        contents.emit(name, event);
        expect(event.preventDefault, `${name} ${url}`).toHaveBeenCalled();
      }
      const inApp = navEvent('midc://app/index.html#/inbox');
      contents.emit(name, inApp);
      expect(inApp.preventDefault).not.toHaveBeenCalled();
    }
    expect(contents.windowOpenHandler?.({ url: 'midc://app/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview, {}, { src: 'https://evil.example/' });
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(auditActions(midc).filter((a) => a === 'security:blocked').length).toBeGreaterThanOrEqual(15);
  });

  it('sends main-to-renderer events to the window on the event channel', async () => {
    const { midc, contents } = await startReady();
    midc.services.events.emit(String(contents.id), 'session:ended', { reason: 'idle' });
    expect(contents.sent).toEqual([[EVENT_CHANNEL, 'session:ended', { reason: 'idle' }]]);
    contents.destroyed = true;
    contents.emit('destroyed');
    midc.services.events.emit(String(contents.id), 'session:ended', { reason: 'idle' });
    expect(contents.sent).toHaveLength(1);
  });

  it("clears the window's storage when its session ends, keeping the language choice", async () => {
    const { midc, contents } = await startReady();
    midc.services.sessions.start(String(contents.id), { userId: 1, username: 'a', displayName: 'A', roles: [] });
    midc.services.sessions.end(String(contents.id), 'logout');
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.state.defaultSession.cleared).toEqual([
      { storages: ['localstorage', 'indexdb', 'cachestorage', 'serviceworkers', 'filesystem'] },
    ]);
    expect(contents.scripts.at(-1)).toBe('localStorage.setItem("midc.lang", "zh-CN")');
  });

  it('does not write back a language value it does not know', async () => {
    const { midc, contents } = await startReady();
    contents.storedLanguage = '"); fetch("https://evil';
    midc.services.sessions.start(String(contents.id), { userId: 1, username: 'a', displayName: 'A', roles: [] });
    midc.services.sessions.end(String(contents.id), 'logout');
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.state.defaultSession.cleared).toHaveLength(1);
    expect(contents.scripts.some((s) => s.startsWith('localStorage.setItem'))).toBe(false);
  });

  it('closes the database on quit', async () => {
    const { midc, handle } = await startReady();
    let prevented = false;
    // Quitting waits for background jobs (a running backup) to drain, then closes and quits again.
    fake.state.app.emit('will-quit', { preventDefault: () => void (prevented = true) });
    expect(prevented).toBe(true);
    expect(handle.app()).toBeNull();
    await vi.waitFor(() => expect(midc.services.db.open).toBe(false));
    await vi.waitFor(() => expect(fake.state.app.calls).toContain('quit'));
  });

  it('focuses the running window when a second instance starts, and quits when it cannot get the lock', async () => {
    const { win } = await startReady();
    fake.state.app.emit('second-instance', {}, ['midc', '--remote-debugging-port=9222'], '/');
    expect(win.focused).toBe(1);

    fake.state.reset();
    fake.state.app.lock = false;
    expect(startElectronHost({ argv: ['midc'], mainDir, env: {}, platform: 'linux' })).toBeNull();
    expect(fake.state.app.calls).toContain('quit');
  });

  it('shows an error and exits when the workspace cannot be opened', async () => {
    const blocker = path.join(base, 'not-a-dir');
    fs.writeFileSync(blocker, 'x');
    const handle = startElectronHost({ argv: ['midc', '--workspace', blocker], mainDir, env: {}, platform: 'linux' });
    fake.state.app.resolveReady();
    await handle?.ready;
    expect(fake.state.app.exitCode).toBe(1);
    expect(fake.state.errorBoxes).toHaveLength(1);
    expect(fake.state.windows).toHaveLength(0);
  });
});

describe('argv guard', () => {
  it('exits with code 1 before doing anything else and audits into an existing workspace', () => {
    createApp({ workspaceDir, host: 'electron', appOrigin: 'midc://app' }).close();
    const handle = startElectronHost({
      argv: ['midc', '--workspace', workspaceDir, '--Remote-Debugging-Port=9222', '--no-sandbox'],
      mainDir,
      env: {},
      platform: 'linux',
    });
    expect(handle).toBeNull();
    expect(fake.state.app.exitCode).toBe(1);
    expect(fake.state.app.calls).toEqual([]);
    const midc = createApp({ workspaceDir, host: 'electron', appOrigin: 'midc://app' });
    try {
      const rows = [...iterateRows(midc.services.db)].filter((r) => r.action === 'security:argv');
      expect(rows).toHaveLength(1);
      expect(JSON.parse(rows[0]?.details ?? '{}')).toEqual({ flags: ['--Remote-Debugging-Port=9222', '--no-sandbox'] });
    } finally {
      midc.close();
    }
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('--Remote-Debugging-Port=9222'));
  });

  it('writes to stderr only, and creates no workspace, when none exists yet', () => {
    const handle = startElectronHost({ argv: ['midc', '--workspace', workspaceDir, '--inspect-brk'], mainDir, env: {}, platform: 'linux' });
    expect(handle).toBeNull();
    expect(fake.state.app.exitCode).toBe(1);
    expect(fs.existsSync(workspaceDir)).toBe(false);
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('--inspect-brk'));
  });
});
