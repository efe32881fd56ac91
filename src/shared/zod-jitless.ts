import { config } from 'zod';

/**
 * zod 4 probes `new Function('')` when an object schema is built, to decide whether it may
 * compile fast parsers. The renderer's CSP has no 'unsafe-eval', so the probe is refused and the
 * browser reports a script-src violation on every start (which our reporter then audits).
 * Jitless mode skips the probe. Must run before any module that builds schemas (the contract):
 * the renderer's main.tsx and both preload entries import this file first.
 */
config({ jitless: true });
