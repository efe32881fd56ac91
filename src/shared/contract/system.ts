import { z } from 'zod';
import { channel } from './channel';
import { empty } from './common';

export interface SystemInfo {
  readonly version: string;
  /** Which host runs the renderer: the Electron product or the Chromium host (DESIGN §6). */
  readonly host: 'electron' | 'chromium';
  readonly workspace: string;
}

export const systemChannels = {
  'system:info': channel<SystemInfo>()({ request: empty, access: 'public', mutates: false }),
  /**
   * The renderer reports every Content-Security-Policy violation it sees (a blocked fetch,
   * image, socket...). Recorded in the audit log as a security event; public because the
   * attempt may happen before anyone logs in.
   */
  'system:reportBlocked': channel<null>()({
    request: z.strictObject({
      url: z.string().max(2000),
      directive: z.string().max(200),
    }),
    access: 'public',
    mutates: true,
  }),
} as const;
