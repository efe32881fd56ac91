import type { PlanView, RequestOf, RunnerLogEvent } from '../../../../shared/contract';
import type { Role } from '../../../../shared/roles';

/**
 * Pure rules of the training-plan and runner screens (issue 5 items 4 and 8): the argv typed one
 * argument per line, the placeholders main replaces, the live log, the plan request and which
 * tabs a person sees. No React, no window.api: tested beside this file.
 */

/** What main replaces in each argument before it starts the command (src/main/evaluation/runner.ts). */
export const RUNNER_PLACEHOLDERS = ['{manifest}', '{output}'] as const;

/**
 * The argv of the register form: one argument per line, so that an argument with spaces needs no
 * quoting (the command runs without a shell). Spaces around a line and blank lines are dropped.
 */
export function argvFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function argvToText(argv: readonly string[]): string {
  return argv.join('\n');
}

/** The argv as one line for a list, quoting the arguments that hold spaces. */
export function argvDisplay(argv: readonly string[]): string {
  return argv.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

export interface ArgvCheck {
  /** No `{manifest}` anywhere: the command cannot learn the images (allowed, but likely a mistake). */
  readonly noManifest: boolean;
  /** `{something}` that main does not replace: it reaches the command as typed. */
  readonly unknownPlaceholders: string[];
}

export function checkArgv(argv: readonly string[]): ArgvCheck {
  const known = new Set<string>(RUNNER_PLACEHOLDERS);
  const unknown = new Set<string>();
  for (const arg of argv) for (const m of arg.matchAll(/\{[A-Za-z_]\w*\}/g)) if (!known.has(m[0])) unknown.add(m[0]);
  return { noManifest: !argv.some((a) => a.includes('{manifest}')), unknownPlaceholders: [...unknown] };
}

/** One piece of a runner's output as the log panel shows it. */
export interface LogChunk {
  readonly stream: RunnerLogEvent['stream'];
  readonly text: string;
}

/** Keeps the newest `max` chunks; MIDC's own lines (`$ argv`, `exited with 0`) end a line. */
export function appendLog(log: readonly LogChunk[], event: RunnerLogEvent, max = 2000): LogChunk[] {
  const text = event.stream === 'system' && !event.text.endsWith('\n') ? `${event.text}\n` : event.text;
  const next = [...log, { stream: event.stream, text }];
  return next.length > max ? next.slice(next.length - max) : next;
}

/** The typed plan form as a `plans:create` request; a blank version means the newest. */
export function planRequest(form: {
  readonly name: string;
  readonly modelId: string;
  readonly values: Record<string, string | number>;
  readonly datasets: readonly { readonly datasetId: number; readonly version: string }[];
  readonly notes: string;
}): { request: RequestOf<'plans:create'>; badVersions: number[] } {
  const badVersions: number[] = [];
  const datasets = form.datasets.map((d) => {
    const text = d.version.trim();
    if (text === '') return { datasetId: d.datasetId };
    const version = Number(text);
    if (!Number.isInteger(version) || version < 1) badVersions.push(d.datasetId);
    return { datasetId: d.datasetId, version };
  });
  return { request: { name: form.name.trim(), modelId: Number(form.modelId), parameterValues: form.values, datasets, notes: form.notes }, badVersions };
}

/** A plan's parameter values as the strings of the parameter inputs. */
export function typedFromValues(values: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}

/** `Demo training set v1, Other v3`. */
export function planDatasetsText(plan: PlanView): string {
  return plan.datasets.map((d) => `${d.name} v${d.version}`).join(', ');
}

/** Training plans and runners are the engineers' and the algorithm admin's (PLAN_READERS in the contract). */
export function seesPlans(roles: readonly Role[] | undefined): boolean {
  return roles?.some((r) => r === 'algo_engineer' || r === 'algo_admin') ?? false;
}
