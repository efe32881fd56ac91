/**
 * The Electron host: wires the pure decisions of policy.ts and the shared app (createApp)
 * into Electron. Ordering matters and is commented where it does; everything that can be
 * decided without Electron is decided elsewhere and tested there.
 */
import { app, dialog, protocol, session, webContents, type BrowserWindow } from 'electron';
import { createApp, type App } from '../app';
import { EVENT_CHANNEL, ELECTRON_ORIGIN, ELECTRON_SCHEME } from '../../shared/ipc-constants';
import { defaultWorkspaceDir, workspaceExists, workspaceLayout } from '../workspace/workspace';
import { clearSessionStorage, guardWebContents, installSessionGuard, type BlockedEvent } from './guards';
import { registerIpcHandlers } from './ipc-main';
import { checkArgv, createRateLimiter, parseHostArgs } from './policy';
import { APP_SCHEMES, createAppProtocolHandler } from './protocol';
import { buildLayout, createMainWindow } from './window';

export interface HostOptions {
  readonly argv: readonly string[];
  /** Directory of the built main file (`out/main`); preload and renderer are its siblings. */
  readonly mainDir: string;
  readonly platform?: NodeJS.Platform;
  readonly env?: NodeJS.ProcessEnv;
}

/** What a started host exposes (tests inspect it; production ignores it). */
export interface HostHandle {
  /** Resolves once the app is composed and the window is loading. */
  readonly ready: Promise<void>;
  app(): App | null;
  window(): BrowserWindow | null;
}

/** Longest URL kept in an audit entry: data: URLs can be megabytes. */
const MAX_AUDITED_URL = 2048;

/**
 * Starts the Electron host, or refuses to (returns null) when argv carries a debugging or
 * sandbox-disabling switch, or another instance already runs.
 */
export function startElectronHost(options: HostOptions): HostHandle | null {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const args = parseHostArgs(options.argv);
  const workspaceDir = args.workspaceDir ?? defaultWorkspaceDir(env, platform);

  // 1. The argv guard comes before anything else: no fuse turns off --remote-debugging-port
  //    (RELIABILITY §1.2, target 4).
  const offending = checkArgv(options.argv, platform);
  if (offending.length > 0) {
    reportArgvViolation(offending, workspaceDir);
    app.exit(1);
    return null;
  }

  // 2. Before `ready`: sandbox every renderer, and give our scheme its privileges (these
  //    calls have no effect once the app is ready).
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([...APP_SCHEMES]);

  // 3. One instance per user: two would open the same workspace and both own its sessions.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  const production = app.isPackaged;
  const layout = buildLayout(options.mainDir);
  let midc: App | null = null;
  let mainWindow: BrowserWindow | null = null;

  const limiter = createRateLimiter(100, 60_000, () => Date.now());
  const onBlocked = (blocked: BlockedEvent) => {
    const { allowed, suppressed } = limiter();
    if (!allowed) return;
    const details = {
      ...blocked,
      url: blocked.url.slice(0, MAX_AUDITED_URL),
      ...(suppressed > 0 ? { suppressedBefore: suppressed } : {}),
    };
    if (!midc) {
      console.warn('[security] blocked before the workspace was open:', details);
      return;
    }
    try {
      midc.services.audit.record(midc.services.db, {
        actorId: null,
        actorName: null,
        action: 'security:blocked',
        objectType: blocked.kind,
        objectId: null,
        outcome: 8,
        details,
      });
    } catch (err) {
      console.error('[security] could not audit a blocked', blocked.kind, err);
    }
  };

  // The second launch (double-click while open, kiosk launcher retry) brings the window back
  // instead of starting a second app. Its argv is deliberately ignored.
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Registered before `ready` so that no session or web contents is ever created unguarded.
  app.on('session-created', (ses) => {
    installSessionGuard(ses, onBlocked);
  });
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, { production, onBlocked });
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    // Drain background jobs (a running backup), then close the database, which checkpoints the
    // WAL: a later kill cannot lose committed work. Quitting resumes once that is done.
    const closing = midc;
    if (!closing) return;
    midc = null;
    event.preventDefault();
    void closing
      .shutdown()
      .catch((err: unknown) => console.error('[quit] shutdown failed', err))
      .finally(() => app.quit());
  });

  const ready = app.whenReady().then(async () => {
    try {
      midc = createApp({ workspaceDir, host: 'electron', appOrigin: ELECTRON_ORIGIN });
    } catch (err) {
      // No workspace (disk, permissions, damaged database): say why, do not open an empty window.
      const message = err instanceof Error ? err.message : String(err);
      console.error('[midc] cannot open the workspace', workspaceDir, err);
      dialog.showErrorBox('MIDC cannot start', `The workspace ${workspaceDir} could not be opened:\n${message}`);
      app.exit(1);
      return;
    }
    const opened = midc;

    installSessionGuard(session.defaultSession, onBlocked);
    protocol.handle(ELECTRON_SCHEME, createAppProtocolHandler(layout.rendererDir));
    registerIpcHandlers(opened.dispatch);

    // A session that ends (logout, idle, account disabled) leaves nothing of that person's
    // work in the window's storage.
    opened.services.sessions.onEnd((ended) => {
      const contents = webContents.fromId(Number(ended.senderId));
      if (!contents || contents.isDestroyed()) return;
      clearSessionStorage(contents).catch((err: unknown) => console.error('[session] could not clear storage', err));
    });

    const win = createMainWindow({ preload: layout.preload, kiosk: args.kiosk, production });
    mainWindow = win;
    const contents = win.webContents;
    const senderId = String(contents.id);
    const detach = opened.services.events.attach(senderId, (name, payload) => {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
    });
    contents.once('destroyed', () => {
      detach();
      if (mainWindow === win) mainWindow = null;
    });
    await win.loadURL(`${ELECTRON_ORIGIN}/`);
  });

  return { ready, app: () => midc, window: () => mainWindow };
}

/**
 * Records a refused start. The entry goes into the workspace's audit log when that workspace
 * already exists (it is opened only to append and closed again); a refused start never creates
 * a workspace. stderr always gets the reason, for whoever launched the app.
 */
function reportArgvViolation(offending: readonly string[], workspaceDir: string): void {
  console.error(`MIDC refuses to start with debugging or sandbox switches: ${offending.join(' ')}`);
  if (!workspaceExists(workspaceLayout(workspaceDir))) return;
  let opened: App | null = null;
  try {
    opened = createApp({ workspaceDir, host: 'electron', appOrigin: ELECTRON_ORIGIN });
    opened.services.audit.record(opened.services.db, {
      actorId: null,
      actorName: null,
      action: 'security:argv',
      objectType: 'process',
      objectId: null,
      outcome: 8,
      details: { flags: offending },
    });
  } catch (err) {
    console.error('[security] could not record the refused start in the audit log', err);
  } finally {
    opened?.close();
  }
}
