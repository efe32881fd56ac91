import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkArgv,
  createRateLimiter,
  denyDevicePermission,
  denyPermissionCheck,
  denyPermissionRequest,
  isAllowedNavigation,
  isAppUrl,
  isBlockedShortcut,
  parseHostArgs,
  shouldCancelRequest,
  windowOptions,
  type KeyInput,
} from './policy';

/** Randomly upper-cases letters of `s`. */
const mixedCase = (s: string) =>
  fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((bits) =>
    [...s].map((c, i) => (bits[i] ? c.toUpperCase() : c)).join(''),
  );

const appPath = fc
  .array(fc.constantFrom('index.html', 'assets', 'a.js', '%2e%2e', '..', 'x y', '%00', 'ü', '?q=1', '#h'), { maxLength: 4 })
  .map((parts) => '/' + parts.join('/'));

describe('windowOptions', () => {
  const preload = path.resolve('/opt/midc/out/preload/index.js');

  it('builds the whole production option object with every security preference spelled out', () => {
    expect(windowOptions({ preload, kiosk: false, production: true })).toEqual({
      width: 1440,
      height: 900,
      minWidth: 1024,
      minHeight: 700,
      title: 'MIDC',
      show: false,
      backgroundColor: '#ffffff',
      kiosk: false,
      fullscreen: false,
      autoHideMenuBar: true,
      webPreferences: {
        preload,
        contextIsolation: true,
        sandbox: true,
        webSecurity: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        devTools: false,
        spellcheck: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
      },
    });
  });

  it('keeps every security preference for all kiosk/production combinations and never sets enableBlinkFeatures', () => {
    for (const kiosk of [false, true]) {
      for (const production of [false, true]) {
        const options = windowOptions({ preload, kiosk, production });
        const prefs = options.webPreferences ?? {};
        expect(prefs).toMatchObject({
          contextIsolation: true,
          sandbox: true,
          webSecurity: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          nodeIntegrationInSubFrames: false,
          allowRunningInsecureContent: false,
          experimentalFeatures: false,
          webviewTag: false,
          devTools: !production,
          preload,
        });
        expect(prefs).not.toHaveProperty('enableBlinkFeatures');
        expect(prefs).not.toHaveProperty('additionalArguments');
        expect(options.kiosk).toBe(kiosk);
      }
    }
  });

  it('refuses a preload that is not our built preload bundle', () => {
    for (const bad of ['preload/index.js', '/tmp/evil.js', '/opt/out/preload/index.js.bak', '/opt/out/preload/other.js']) {
      expect(() => windowOptions({ preload: bad, kiosk: false, production: true })).toThrow(/refusing preload/);
    }
  });
});

describe('isAllowedNavigation', () => {
  it('allows our own origin', () => {
    for (const url of ['midc://app/', 'midc://app/index.html', 'midc://app/index.html#/inbox', 'MIDC://app/x', 'midc://app']) {
      expect(isAllowedNavigation(url), url).toBe(true);
    }
  });

  it('refuses look-alikes and other schemes', () => {
    for (const url of [
      'midc://app.evil/',
      'midc://app.evil',
      'midc://app@evil/',
      'midc://evil@app/',
      'midc://user:pw@app/',
      'midc://app:8080/',
      'midc://app./',
      'midc://аpp/', // Cyrillic а
      'midc://xn--pp-7kc/',
      'midc://%61pp/',
      'midc://evil/app',
      'midc:app/index.html',
      'midc:/app/index.html',
      'midc:\\\\app\\index.html',
      'midc-evil://app/',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'blob:midc://app/0b1c',
      'https://app/',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      '',
      'not a url',
    ]) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
  });

  it('agrees with a field-by-field WHATWG parse for arbitrary URLs (never origin "null" or a prefix match)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl({ withFragments: true, withQueryParameters: true, authoritySettings: { withUserInfo: true, withPort: true } }), fc.string()), (raw) => {
        const variants = [raw, raw.replace(/^[a-z]+:/i, 'midc:'), `midc://app${raw}`, `midc://app.${raw}`, `midc://${raw}@app/`];
        for (const url of variants) {
          const expected = (() => {
            try {
              const u = new URL(url);
              return u.protocol === 'midc:' && u.hostname.toLowerCase() === 'app' && !u.username && !u.password && !u.port;
            } catch {
              return false;
            }
          })();
          expect(isAllowedNavigation(url), url).toBe(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('allows any path under midc://app in any scheme case', () => {
    fc.assert(
      fc.property(mixedCase('midc'), appPath, (scheme, p) => {
        expect(isAllowedNavigation(`${scheme}://app${p}`)).toBe(true);
      }),
    );
  });
});

describe('shouldCancelRequest', () => {
  it('lets our origin, data: and our blob: URLs through', () => {
    for (const url of [
      'midc://app/index.html',
      'midc://app/assets/index-abc.js',
      'data:image/svg+xml;base64,PHN2Zy8+',
      'DATA:text/plain,hi',
      'blob:midc://app/5b1f3c1e-0000-4000-8000-000000000000',
    ]) {
      expect(shouldCancelRequest(url), url).toBe(false);
    }
  });

  it('cancels every other scheme and every foreign host, whatever the case or userinfo', () => {
    const foreignScheme = fc
      .tuple(
        fc.constantFrom('http', 'https', 'ws', 'wss', 'ftp', 'file', 'devtools', 'chrome', 'chrome-extension', 'javascript', 'about', 'filesystem', 'midc-app', 'xmidc'),
        fc.boolean(),
      )
      .chain(([s, upper]) => (upper ? mixedCase(s) : fc.constant(s)));
    const host = fc.oneof(
      fc.domain(),
      fc.constantFrom('app', 'APP', 'app.evil', 'evil', 'localhost', '127.0.0.1', '[::1]', 'аpp', 'app。evil', 'xn--pp-7kc', '例え.jp'),
    );
    const userinfo = fc.oneof(fc.constant(''), fc.constantFrom('app@', 'user:pw@', 'midc://app@', 'a%40b@'));
    fc.assert(
      fc.property(foreignScheme, userinfo, host, appPath, (scheme, user, h, p) => {
        expect(shouldCancelRequest(`${scheme}://${user}${h}${p}`)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('cancels midc: URLs whose host is not exactly app, or that carry userinfo or a port', () => {
    const badAuthority = fc.oneof(
      fc.domain().filter((d) => d.toLowerCase() !== 'app'),
      fc.constantFrom('app.evil', 'app.', 'evil@app', 'app@evil', 'u:p@app', 'app:1', 'аpp', 'ａｐｐ', 'app%2eevil', 'xn--pp-7kc', ''),
    );
    fc.assert(
      fc.property(mixedCase('midc'), badAuthority, appPath, (scheme, authority, p) => {
        expect(shouldCancelRequest(`${scheme}://${authority}${p}`)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('cancels blob: URLs of any other origin', () => {
    for (const url of ['blob:https://evil.example/1', 'blob:null/1', 'blob:midc://app.evil/1', 'blob:midc://evil@app/1', 'blob:file:///1', 'blob:']) {
      expect(shouldCancelRequest(url), url).toBe(true);
    }
  });

  it('never lets anything through that is not midc://app, data: or blob:midc://app (arbitrary strings)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.string({ unit: 'binary' }), fc.constantFrom('midc://app', 'blob:', 'data:')), (raw) => {
        if (shouldCancelRequest(raw)) return;
        const u = new URL(raw);
        const ok =
          u.protocol === 'data:' ||
          (u.protocol === 'blob:' && isAppUrl(u.pathname)) ||
          (u.protocol === 'midc:' && u.hostname.toLowerCase() === 'app' && u.username === '' && u.port === '');
        expect(ok, raw).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('checkArgv', () => {
  const switchNames = [
    'remote-debugging-port',
    'remote-debugging-pipe',
    'inspect',
    'inspect-brk',
    'inspect-port',
    'inspect-wait',
    'inspect-brk-node',
    'no-sandbox',
    'disable-sandbox',
    'disable-gpu-sandbox',
    'js-flags',
    'disable-web-security',
  ];
  /** An offending switch in some spelling, plus the separate value of the space form. */
  const offending = fc
    .record({
      name: fc.constantFrom(...switchNames).chain(mixedCase),
      underscores: fc.boolean(),
      prefix: fc.constantFrom('--', '-'),
      form: fc.constantFrom('bare', 'equals', 'space'),
      value: fc.constantFrom('9222', '0', '127.0.0.1:9229', '--expose-gc', ''),
    })
    .map(({ name, underscores, prefix, form, value }) => {
      const flag = prefix + (underscores ? name.replace(/-/g, '_') : name);
      if (form === 'equals') return { bad: `${flag}=${value}`, extra: [] as string[] };
      if (form === 'space') return { bad: flag, extra: value && !value.startsWith('-') ? [value] : [] };
      return { bad: flag, extra: [] as string[] };
    });
  const benign = fc.oneof(
    fc.constantFrom('/opt/MIDC/midc', '.', '--kiosk', '--workspace', '/data/ws', '--workspace=/srv/midc', '--lang=zh-CN', '--enable-logging', '--', '--sandbox', '--install', 'C:\\MIDC\\midc.exe'),
    fc.string().filter((s) => !/^\s*[-/]/.test(s)),
  );

  it('finds exactly the offending switches in any permutation of argv', () => {
    fc.assert(
      fc.property(fc.array(offending, { maxLength: 4 }), fc.array(benign, { maxLength: 8 }), fc.infiniteStream(fc.nat()), (bads, goods, rand) => {
        const entries = [...bads.map((b) => [b.bad, ...b.extra]), ...goods.map((g) => [g])];
        // Shuffle whole entries so a space-form value stays right after its switch.
        const order = entries.map((e, i) => ({ e, k: rand.next().value + i / 1000 })).sort((a, b) => a.k - b.k);
        const argv = order.flatMap((o) => o.e);
        const expected = argv.filter((a) => bads.some((b) => b.bad === a));
        expect(checkArgv(argv, 'linux')).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('reports nothing for a normal launch', () => {
    expect(checkArgv(['/opt/MIDC/midc', '--kiosk', '--workspace', '/srv/midc'], 'linux')).toEqual([]);
    expect(checkArgv(['electron', '.', '--workspace=/tmp/-inspect'], 'linux')).toEqual([]);
  });

  it('treats /switch as a switch only on Windows, where Chromium accepts that prefix', () => {
    expect(checkArgv(['C:\\MIDC\\midc.exe', '/remote-debugging-port=9222'], 'win32')).toEqual(['/remote-debugging-port=9222']);
    expect(checkArgv(['/inspections/data'], 'linux')).toEqual([]);
  });

  it('catches the documented forms one by one', () => {
    for (const arg of ['--remote-debugging-port=9222', '--REMOTE-DEBUGGING-PIPE', '--inspect', '--inspect=0', '--Inspect-Brk', '--no-sandbox', '--disable-sandbox', '--js-flags=--allow-natives-syntax', '-remote-debugging-port=1', '--inspect_brk']) {
      expect(checkArgv(['midc', arg], 'linux'), arg).toEqual([arg]);
    }
  });

  it('truncates what it reports', () => {
    const long = '--js-flags=' + 'x'.repeat(5000);
    expect(checkArgv([long], 'linux')[0]).toHaveLength(200);
  });
});

describe('parseHostArgs', () => {
  it('reads --kiosk and both forms of --workspace', () => {
    expect(parseHostArgs(['midc'])).toEqual({ kiosk: false, workspaceDir: null });
    expect(parseHostArgs(['midc', '--kiosk', '--workspace', '/a'])).toEqual({ kiosk: true, workspaceDir: '/a' });
    expect(parseHostArgs(['midc', '--workspace=/b'])).toEqual({ kiosk: false, workspaceDir: '/b' });
    expect(parseHostArgs(['midc', '--workspace', '--kiosk'])).toEqual({ kiosk: true, workspaceDir: null });
    expect(parseHostArgs(['midc', '--workspace'])).toEqual({ kiosk: false, workspaceDir: null });
  });
});

describe('permission handlers', () => {
  /** Every permission name Electron's typings list for the request handler. */
  function electronPermissionNames(): string[] {
    const dts = fs.readFileSync(path.resolve('node_modules/electron/electron.d.ts'), 'utf8');
    const decl = dts.split('\n').find((l) => l.includes('setPermissionRequestHandler(handler:')) ?? '';
    const union = /permission: ((?:'[^']+' \| )*'[^']+')/.exec(decl)?.[1] ?? '';
    return [...union.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
  }

  it("refuses every permission Electron knows, request and check alike", () => {
    const names = electronPermissionNames();
    expect(names.length).toBeGreaterThan(30);
    expect(names).toEqual(expect.arrayContaining(['media', 'geolocation', 'notifications', 'openExternal', 'hid', 'serial', 'usb', 'unknown']));
    for (const name of names) {
      let granted: boolean | undefined;
      denyPermissionRequest(null, name, (g) => (granted = g));
      expect(granted, name).toBe(false);
      expect(denyPermissionCheck(null, name), name).toBe(false);
    }
  });

  it('refuses unknown permission strings', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        let granted: boolean | undefined;
        denyPermissionRequest(null, name, (g) => (granted = g));
        expect(granted).toBe(false);
        expect(denyPermissionCheck(null, name)).toBe(false);
      }),
    );
    expect(denyDevicePermission()).toBe(false);
  });
});

describe('isBlockedShortcut', () => {
  const key = (k: string, code: string, mods: Partial<KeyInput> = {}): KeyInput => ({
    key: k,
    code,
    control: false,
    meta: false,
    shift: false,
    alt: false,
    ...mods,
  });

  it('blocks DevTools and reload shortcuts, also on non-Latin layouts', () => {
    for (const input of [
      key('F12', 'F12'),
      key('F5', 'F5'),
      key('F5', 'F5', { control: true }),
      key('r', 'KeyR', { control: true }),
      key('R', 'KeyR', { control: true, shift: true }),
      key('r', 'KeyR', { meta: true }),
      key('I', 'KeyI', { control: true, shift: true }),
      key('J', 'KeyJ', { control: true, shift: true }),
      key('C', 'KeyC', { control: true, shift: true }),
      key('i', 'KeyI', { meta: true, alt: true }),
      key('ш', 'KeyI', { control: true, shift: true }),
      key('к', 'KeyR', { control: true }),
    ]) {
      expect(isBlockedShortcut(input), JSON.stringify(input)).toBe(true);
    }
  });

  it('leaves ordinary typing and editing shortcuts alone', () => {
    for (const input of [key('r', 'KeyR'), key('c', 'KeyC', { control: true }), key('v', 'KeyV', { control: true }), key('i', 'KeyI', { shift: true }), key('Enter', 'Enter')]) {
      expect(isBlockedShortcut(input), JSON.stringify(input)).toBe(false);
    }
  });
});

describe('createRateLimiter', () => {
  it('passes the first N per window and reports how many were dropped', () => {
    let t = 0;
    const limit = createRateLimiter(2, 1000, () => t);
    expect(limit()).toEqual({ allowed: true, suppressed: 0 });
    expect(limit()).toEqual({ allowed: true, suppressed: 0 });
    expect(limit().allowed).toBe(false);
    expect(limit().allowed).toBe(false);
    t = 1000;
    expect(limit()).toEqual({ allowed: true, suppressed: 2 });
    expect(limit()).toEqual({ allowed: true, suppressed: 0 });
  });
});
