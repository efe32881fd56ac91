import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DropFolderEvent, DropFolderView, RunSummary, RunView } from '../../shared/contract';
import { dropFolderWatcher, processDropFile, startDropFolders } from './drop-folder';
import { activeDropFolder } from './drop-folder-repository';
import { createWorld, type World } from './test-support/world';
import { writeSyntheticImages, type SyntheticImage } from './synthetic-images';

let w: World;
let images: SyntheticImage[];
let runId: number;
let drop: string;
let stopWatcher: () => void;
const nameOf = (img: SyntheticImage) => path.basename(img.file);
const csv = (wrong: Record<number, string> = {}) => ['image_key,class,score', ...images.map((img, i) => `${nameOf(img)},${wrong[i] ?? img.className},0.9`)].join('\n') + '\n';
const scan = () => dropFolderWatcher(w.app.services)?.scan();
const listing = (sub = '') => (fs.existsSync(path.join(drop, sub)) ? fs.readdirSync(path.join(drop, sub)).sort() : []);
const auditOf = (action: string) =>
  w.app.services.db.prepare("SELECT actor_name, outcome, details FROM audit_log WHERE action = ? AND actor_name = 'drop folder' ORDER BY id").all(action) as { actor_name: string; outcome: number; details: string }[];

beforeAll(async () => {
  w = await createWorld();
  images = writeSyntheticImages(path.join(w.files, 'img'), 9, ['normal', 'benign', 'malignant'], 3, 'd');
  await w.importFiles(images.map((i) => i.file));
  const ids = images.map((i) => w.imageId(nameOf(i)));
  const datasetId = (await w.ok<{ id: number }>(w.engineer, 'datasets:create', { name: 'drop test', purpose: 'application_test', filter: { ids } })).id;
  await w.ok(w.engineer, 'groundTruth:import', { datasetId, task: 'classification', source: { name: 'gt.csv', text: ['image_key,class', ...images.map((i) => `${nameOf(i)},${i.className}`)].join('\n') } });
  const modelId = (await w.ok<{ id: number }>(w.admin, 'models:create', { name: 'Dropper', task: 'classification' })).id;
  runId = (await w.ok<RunView>(w.engineer, 'runs:create', { name: 'dropped run', modelId, datasetId })).id;
  // The test drives the scans itself: no polling, no fs.watch, no settling delay.
  stopWatcher = startDropFolders(w.app.services, { pollMs: 3_600_000, settleMs: 0, watch: false });
  drop = path.join(w.files, 'drop');
  fs.mkdirSync(drop);
});
afterAll(() => {
  stopWatcher();
  w.cleanup();
});

describe('a watched drop folder', () => {
  it('refuses a folder that does not exist, a relative path or one inside the workspace, naming the path', async () => {
    const missing = await w.app.dispatch(w.engineer, 'dropFolders:create', { path: path.join(w.files, 'nope'), runId });
    expect(missing).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining(path.join(w.files, 'nope')) } });
    expect(await w.app.dispatch(w.engineer, 'dropFolders:create', { path: 'relative/dir', runId })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/absolute/) } });
    expect(await w.app.dispatch(w.engineer, 'dropFolders:create', { path: w.app.services.workspace.root, runId })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/inside the MIDC workspace/) } });
    expect(await w.app.dispatch(w.expert, 'dropFolders:create', { path: drop, runId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('waits for a file written in pieces, ignores .part files, then imports it once into the run and moves it to processed/', async () => {
    const folder = await w.ok<DropFolderView>(w.engineer, 'dropFolders:create', { path: drop, runId });
    expect(folder).toMatchObject({ path: drop, mode: 'into_run', runId, runName: 'dropped run', state: 'watching', files: [] });
    const events: DropFolderEvent[] = [];
    const detach = w.app.services.events.attach(w.engineer.id, (event, payload) => event === 'dropFolder:file' && events.push(payload as DropFolderEvent));

    const text = csv({ 0: 'benign' });
    fs.writeFileSync(path.join(drop, 'pred.csv.part'), text);
    scan();
    scan();
    expect(listing()).toEqual(['pred.csv.part']);

    const target = path.join(drop, 'pred.csv');
    fs.writeFileSync(target, text.slice(0, 40));
    scan(); // first sight
    fs.appendFileSync(target, text.slice(40, 120));
    scan(); // grew: still being written
    expect((await w.ok<RunView>(w.engineer, 'runs:get', { id: runId })).status).toBe('awaiting_results');
    fs.appendFileSync(target, text.slice(120));
    scan();
    expect(listing()).toContain('pred.csv');
    scan(); // unchanged since the last scan: ready
    expect(listing()).toEqual(['pred.csv.part', 'processed']);
    expect(listing('processed')).toEqual(['pred.csv']);

    const run = await w.ok<RunView>(w.engineer, 'runs:get', { id: runId });
    expect(run).toMatchObject({ status: 'computed', lastImport: { file: 'pred.csv', rowsTotal: 9, rowsAccepted: 9, problems: [] } });
    expect(run.metrics?.task === 'classification' && run.metrics.accuracy).toBeCloseTo(8 / 9);
    expect(events.map((e) => [e.fileName, e.stage])).toEqual([
      ['pred.csv', 'arrived'],
      ['pred.csv', 'imported'],
    ]);
    expect(auditOf('runs:importResults')).toEqual([expect.objectContaining({ outcome: 0, details: expect.stringContaining('"file":"pred.csv"') })]);
    const [listed] = await w.ok<DropFolderView[]>(w.engineer, 'dropFolders:list', {});
    expect(listed?.files).toEqual([expect.objectContaining({ fileName: 'pred.csv', outcome: 'imported', runId, report: { file: 'pred.csv', rowsTotal: 9, rowsAccepted: 9, problems: [] } })]);
    detach();
    fs.rmSync(path.join(drop, 'pred.csv.part'));
  });

  it('refuses a bad file as the import wizard does: moved to refused/ with the report beside it, nothing imported', async () => {
    const before = (await w.ok<RunView>(w.engineer, 'runs:get', { id: runId })).lastImport;
    fs.writeFileSync(path.join(drop, 'bad.csv'), ['image_key,class,score', `${nameOf(images[0] as SyntheticImage)},normal,0.5`, 'ghost.png,normal,0.5', `${nameOf(images[1] as SyntheticImage)},cat,abc`].join('\n'));
    scan();
    scan();
    expect(listing('refused')).toEqual(['bad.csv', 'bad.csv.report.txt']);
    const report = fs.readFileSync(path.join(drop, 'refused', 'bad.csv.report.txt'), 'utf8');
    expect(report).toMatch(/refused "bad.csv"/);
    expect(report).toMatch(/bad\.csv line 3 image_key: unknown image: "ghost.png"/);
    expect(report).toMatch(/bad\.csv line 4 score: score "abc" is not a number/);
    expect((await w.ok<RunView>(w.engineer, 'runs:get', { id: runId })).lastImport).toEqual(before);
    expect(auditOf('dropFolders:refused')).toEqual([expect.objectContaining({ outcome: 4, details: expect.stringContaining('"file":"bad.csv"') })]);
  });

  it('after a crash between the commit and the move, a restart only moves the file (no second import)', async () => {
    const folders = await w.ok<DropFolderView[]>(w.engineer, 'dropFolders:list', {});
    const row = activeDropFolder(w.app.services.db, (folders[0] as DropFolderView).id);
    if (!row) throw new Error('no folder');
    const imports = () => (w.app.services.db.prepare('SELECT count(*) FROM run_imports WHERE run_id = ?').pluck().get(runId) as number);
    // Simulate the crash: the file was imported and recorded, then copied back as if never moved.
    fs.writeFileSync(path.join(drop, 'again.csv'), csv({ 1: 'normal' }));
    expect(processDropFile(w.app.services, row, 'again.csv')).toMatchObject({ outcome: 'imported' });
    const count = imports();
    fs.copyFileSync(path.join(drop, 'processed', 'again.csv'), path.join(drop, 'again.csv'));
    // "Restart": a new watcher over the same database.
    stopWatcher();
    stopWatcher = startDropFolders(w.app.services, { pollMs: 3_600_000, settleMs: 0, watch: false });
    scan();
    scan();
    expect(imports()).toBe(count);
    expect(listing()).toEqual(['processed', 'refused']);
    expect(listing('processed')).toEqual(['again-2.csv', 'again.csv', 'pred.csv']);
    expect(auditOf('runs:importResults')).toHaveLength(2);
  });

  it('leaves a file it cannot move in place, reports it, and only moves it (no second import) when retried', async () => {
    const imports = () => w.app.services.db.prepare('SELECT count(*) FROM run_imports WHERE run_id = ?').pluck().get(runId) as number;
    stopWatcher();
    stopWatcher = startDropFolders(w.app.services, { pollMs: 3_600_000, settleMs: 0, watch: false, retryMs: 3_600_000 });
    const events: DropFolderEvent[] = [];
    const detach = w.app.services.events.attach(w.engineer.id, (event, payload) => event === 'dropFolder:file' && events.push(payload as DropFolderEvent));
    await w.ok(w.engineer, 'dropFolders:list', {});
    fs.renameSync(path.join(drop, 'processed'), path.join(drop, 'processed-before'));
    fs.writeFileSync(path.join(drop, 'processed'), 'a file where the folder should be');
    fs.writeFileSync(path.join(drop, 'blocked.csv'), csv({ 2: 'normal' }));
    const before = imports();
    scan();
    scan();
    expect(imports()).toBe(before + 1);
    expect(events.map((e) => e.stage)).toEqual(['arrived', 'failed']);
    expect(listing()).toContain('blocked.csv');
    scan(); // not retried before retryMs
    expect(events).toHaveLength(2);
    fs.rmSync(path.join(drop, 'processed'));
    fs.renameSync(path.join(drop, 'processed-before'), path.join(drop, 'processed'));
    stopWatcher();
    stopWatcher = startDropFolders(w.app.services, { pollMs: 3_600_000, settleMs: 0, watch: false, retryMs: 0 });
    scan();
    scan();
    expect(imports()).toBe(before + 1);
    expect(listing('processed')).toContain('blocked.csv');
    detach();
  });

  it('in new_run mode creates one run per file with the inputs of the template run', async () => {
    const other = path.join(w.files, 'drop-new');
    fs.mkdirSync(other);
    const folder = await w.ok<DropFolderView>(w.engineer, 'dropFolders:create', { path: other, runId, mode: 'new_run' });
    fs.writeFileSync(path.join(other, 'v3.json'), JSON.stringify(images.map((img) => ({ image_key: nameOf(img), class: img.className, score: 0.7 }))));
    scan();
    scan();
    const runs = await w.ok<RunSummary[]>(w.engineer, 'runs:list', {});
    const created = runs.find((r) => r.name === 'dropped run · v3.json');
    expect(created).toMatchObject({ status: 'computed', headline: 1, datasetName: 'drop test' });
    expect((await w.ok<DropFolderView[]>(w.engineer, 'dropFolders:list', {})).find((f) => f.id === folder.id)?.files).toEqual([expect.objectContaining({ outcome: 'imported', runId: created?.id })]);
    expect(await w.ok(w.engineer, 'dropFolders:disable', { id: folder.id })).toEqual({ disabled: true });
    fs.writeFileSync(path.join(other, 'v4.csv'), csv());
    scan();
    scan();
    expect(fs.readdirSync(other).sort()).toEqual(['processed', 'v4.csv']);
    expect(() => w.app.services.db.prepare('DELETE FROM drop_folders').run()).toThrow(/kept as history/);
  });
});
