import { describe, expect, it } from 'vitest';
import type { PlanView } from '../../../../shared/contract';
import { appendLog, argvDisplay, argvFromText, argvToText, checkArgv, planDatasetsText, planRequest, seesPlans, typedFromValues } from './runner-rules';

describe('training plans and the runner', () => {
  it('reads the command one argument per line, dropping blank lines and surrounding spaces', () => {
    expect(argvFromText('  node \r\n/opt/my runner/nm.mjs\n\n{manifest}\n   \n')).toEqual(['node', '/opt/my runner/nm.mjs', '{manifest}']);
    expect(argvFromText('')).toEqual([]);
    expect(argvFromText(argvToText(['a b', '--x=1']))).toEqual(['a b', '--x=1']);
  });

  it('shows the command on one line, quoting the arguments with spaces', () => {
    expect(argvDisplay(['node', '/opt/my runner/nm.mjs', '{manifest}'])).toBe('node "/opt/my runner/nm.mjs" {manifest}');
  });

  it('warns about a command without {manifest} and about placeholders main does not replace', () => {
    expect(checkArgv(['node', 'nm.mjs', '{manifest}', '--out={output}'])).toEqual({ noManifest: false, unknownPlaceholders: [] });
    expect(checkArgv(['node', 'nm.mjs', '{manfiest}', '{input}', '{input}'])).toEqual({ noManifest: true, unknownPlaceholders: ['{manfiest}', '{input}'] });
    // JSON given as an argument is not a placeholder.
    expect(checkArgv(['{manifest}', '{"a": 1}']).unknownPlaceholders).toEqual([]);
  });

  it('keeps the log in arrival order, ends MIDC’s own lines and keeps only the newest chunks', () => {
    let log = appendLog([], { runId: 1, stream: 'system', text: '$ node nm.mjs' });
    log = appendLog(log, { runId: 1, stream: 'stdout', text: 'trained 3 class' });
    log = appendLog(log, { runId: 1, stream: 'stdout', text: ' means\n' });
    expect(log.map((c) => c.text).join('')).toBe('$ node nm.mjs\ntrained 3 class means\n');
    const capped = [1, 2, 3, 4].reduce((l, n) => appendLog(l, { runId: 1, stream: 'stderr', text: `${n}\n` }, 3), log);
    expect(capped.map((c) => c.text)).toEqual(['2\n', '3\n', '4\n']);
  });

  it('builds the plan request: blank versions mean the newest, a bad version is named', () => {
    const form = { name: ' nm plan ', modelId: '4', values: { epochs: 10 }, datasets: [{ datasetId: 2, version: '' }, { datasetId: 3, version: '2' }], notes: 'n' };
    expect(planRequest(form)).toEqual({
      request: { name: 'nm plan', modelId: 4, parameterValues: { epochs: 10 }, datasets: [{ datasetId: 2 }, { datasetId: 3, version: 2 }], notes: 'n' },
      badVersions: [],
    });
    expect(planRequest({ ...form, datasets: [{ datasetId: 3, version: 'v2' }, { datasetId: 5, version: '0' }] }).badVersions).toEqual([3, 5]);
  });

  it('fills the parameter inputs from a plan and lists its training sets with their versions', () => {
    expect(typedFromValues({ epochs: 100, optimizer: 'adam' })).toEqual({ epochs: '100', optimizer: 'adam' });
    const plan = { datasets: [{ datasetId: 1, name: 'Train', version: 1 }, { datasetId: 2, name: 'More', version: 3 }] } as unknown as PlanView;
    expect(planDatasetsText(plan)).toBe('Train v1, More v3');
  });

  it('shows plans and runners to engineers and the algorithm admin only', () => {
    expect(seesPlans(['algo_engineer'])).toBe(true);
    expect(seesPlans(['algo_admin'])).toBe(true);
    expect(seesPlans(['expert', 'quant_user'])).toBe(false);
    expect(seesPlans(undefined)).toBe(false);
  });
});
