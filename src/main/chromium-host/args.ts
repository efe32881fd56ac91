export interface HostArgs {
  readonly workspace: string | null;
  readonly headless: boolean;
  readonly help: boolean;
  /** Arguments this host does not know (npm start passes the same ones to Electron). */
  readonly ignored: string[];
}

/** `--workspace DIR` / `--workspace=DIR`, `--headless`, `--help`. */
export function parseHostArgs(argv: readonly string[]): HostArgs {
  let workspace: string | null = null;
  let headless = false;
  let help = false;
  const ignored: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--headless') headless = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg.startsWith('--workspace=')) workspace = arg.slice('--workspace='.length);
    else if (arg === '--workspace') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error('--workspace needs a folder');
      workspace = value;
    } else ignored.push(arg);
  }
  if (workspace === '') throw new Error('--workspace needs a folder');
  return { workspace, headless, help, ignored };
}

/** A headed browser needs an X or Wayland display; say how to get one instead of crashing. */
export function missingDisplayMessage(env: NodeJS.ProcessEnv, headless: boolean, platform = process.platform): string | null {
  if (headless || platform !== 'linux' || env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return [
    'MIDC cannot open a window: there is no display (DISPLAY is not set).',
    'Run it under a virtual display:   xvfb-run -a npm start',
    'or without a window:              node out/main/chromium-host.js --headless',
  ].join('\n');
}
