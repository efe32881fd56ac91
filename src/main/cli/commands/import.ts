import { computePendingPixels, importPaths } from '../../ingest/ingest-service';
import { ingestWorkerFile } from '../../ingest/worker-file';
import { EXIT, UsageError, emit, type Command } from '../command';
import { openIngestContext } from '../ingest-context';
import { importInfo } from './info';

export const importCommand: Command = {
  ...importInfo,
  async run(args, options, io) {
    const paths: string[] = [];
    const tags: Record<string, string> = {};
    let deidentify = false;
    let deferPixels = false;
    let pendingPixels = false;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (arg === '--tag' || arg.startsWith('--tag=')) {
        const spec = arg.includes('=') && arg.startsWith('--tag=') ? arg.slice(6) : args[++i];
        const eq = spec?.indexOf('=') ?? -1;
        if (!spec || eq <= 0) throw new UsageError(`--tag needs key=value, got "${spec ?? ''}"`);
        const key = spec.slice(0, eq).trim();
        if (!/^[A-Za-z0-9_.-]{1,64}$/.test(key)) throw new UsageError(`tag key "${key}" must be 1-64 letters, digits, _ . or -`);
        tags[key] = spec.slice(eq + 1);
      } else if (arg === '--defer-pixels') {
        deferPixels = true;
      } else if (arg === '--pending-pixels') {
        pendingPixels = true;
      } else if (arg === '--deidentify') {
        deidentify = true;
      } else if (arg.startsWith('--')) {
        throw new UsageError(`unknown option "${arg}"`);
      } else paths.push(arg);
    }
    if (pendingPixels && (paths.length > 0 || deferPixels || deidentify || Object.keys(tags).length > 0)) {
      throw new UsageError('--pending-pixels takes no PATH, --tag, --deidentify or --defer-pixels');
    }
    if (paths.length === 0 && !pendingPixels) throw new UsageError('give at least one file or folder to import');
    const app = openIngestContext(options.workspace);
    try {
      if (pendingPixels) {
        const pixels = await computePendingPixels(app.services, { workerFile: ingestWorkerFile() });
        emit(io, options, pixels, `pixel data: ${pixels.processed} images (${pixels.withHash} with a thumbnail and hash) in ${pixels.ms} ms`);
        return EXIT.OK;
      }
      let last = 0;
      const report = await importPaths(app.services, paths, {
        tags,
        deidentify,
        actor: { id: null, name: 'midc import' },
        workerFile: ingestWorkerFile(),
        deferPixels,
        onProgress: (p) => {
          if (Date.now() - last > 500 || p.done === p.total) {
            last = Date.now();
            io.stderr(`import: ${p.done}/${p.total} (${p.imported} imported, ${p.duplicates} duplicates, ${p.quarantined} quarantined)\n`);
          }
        },
      });
      const { cancelled: _cancelled, pixels, ...result } = report;
      if (pixels) io.stderr(`import: pixel data of ${pixels.processed} images (${pixels.withHash} with a thumbnail and hash) in ${pixels.ms} ms\n`);
      const human = [
        `batch ${report.batch}: ${report.imported} imported, ${report.duplicates} duplicates, ${report.quarantined.length} quarantined`,
        ...report.quarantined.map((q) => `  quarantined ${q.path}: ${q.reason}`),
      ].join('\n');
      emit(io, options, result, human);
      return report.quarantined.length > 0 ? EXIT.PARTIAL : EXIT.OK;
    } finally {
      app.close();
    }
  },
};
