/**
 * Entry of the Chromium host (out/main/chromium-host.js): `npm start` runs it when the
 * Electron runtime is not installed. Same app, same workspace, same data as Electron.
 */
import { defaultWorkspaceDir } from '../workspace/workspace';
import { missingDisplayMessage, parseHostArgs } from './args';
import { launchChromiumHost, type ChromiumHost } from './host';

const USAGE = 'Usage: node out/main/chromium-host.js [--workspace DIR] [--headless]';

async function main(): Promise<number> {
  let args;
  try {
    args = parseHostArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.ignored.length > 0) console.error(`[midc] ignoring arguments: ${args.ignored.join(' ')}`);
  const noDisplay = missingDisplayMessage(process.env, args.headless);
  if (noDisplay) {
    console.error(noDisplay);
    return 2;
  }

  const workspaceDir = args.workspace ?? defaultWorkspaceDir();
  console.log(`[midc] workspace: ${workspaceDir}`);
  const host: ChromiumHost = await launchChromiumHost({ workspaceDir, headless: args.headless });
  console.log(`[midc] MIDC is running in Chromium${args.headless ? ' (headless)' : ''}; press Ctrl+C to quit.`);

  // One way out, whichever comes first: a signal, the window closed, the browser gone.
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (why: string, code: number) => {
      if (stopping) return;
      stopping = true;
      console.log(`[midc] ${why}; closing.`);
      host.close().then(
        () => resolve(code),
        (err: unknown) => {
          console.error('[midc] error while closing:', err);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => stop('interrupted', 0));
    process.once('SIGTERM', () => stop('terminated', 0));
    host.page.once('close', () => stop('the window was closed', 0));
    host.browser.once('disconnected', () => stop('the browser exited', 0));
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('[midc] could not start the Chromium host:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
