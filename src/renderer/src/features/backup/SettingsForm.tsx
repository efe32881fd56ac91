import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupConfigView, BackupStatusView } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { ErrorBanner } from '../../ui/ErrorBanner';
import {
  draftOf,
  EMPTY_DESTINATION,
  NEW_SCHEDULE,
  validateDraft,
  type ConfigDraft,
  type DestinationDraft,
  type FieldProblem,
  type FieldProblems,
  type ScheduleDraft,
} from './backup-model';
import { useBackupStore } from './backup-store';
import { useFormat } from './useFormat';

function Problem({ problem, testId }: { problem: FieldProblem | undefined; testId: string }) {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <small className="field-problem" data-testid={testId} role="alert">
      {'key' in problem ? t(problem.key, problem.params) : problem.text}
    </small>
  );
}

interface Props {
  readonly view: BackupConfigView;
  readonly status: BackupStatusView | null;
  /** Whether the last save succeeded and nothing was changed since (kept above the form, which remounts on save). */
  readonly saved: boolean;
  setSaved(saved: boolean): void;
}

/**
 * Destinations, schedules, retention and the health limit. Validated as one types (the shared
 * schema and cron parser main uses); main then checks the folders and may name a field too.
 */
function Form({ view, status, saved, setSaved }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const [draft, setDraft] = useState<ConfigDraft>(() => draftOf(view.config));
  // Problems show once a field was changed, or for every field after a save was attempted.
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<FieldProblems>({});
  const [error, setError] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  const local = useMemo(() => validateDraft(draft), [draft]);
  const problem = (path: string): FieldProblem | undefined => server[path] ?? (submitted || touched.has(path) ? local[path] : undefined);

  const change = (path: string, next: ConfigDraft) => {
    setDraft(next);
    setTouched((s) => new Set(s).add(path));
    setSaved(false);
    if (path in server) {
      const { [path]: _gone, ...rest } = server;
      setServer(rest);
    }
  };
  /** Adding or removing a row moves the rows' indexes: problems from main no longer fit. */
  const reshape = (next: ConfigDraft) => {
    setDraft(next);
    setServer({});
    setSaved(false);
  };
  const setDestination = (i: number, field: keyof DestinationDraft, value: string | boolean) =>
    change(`destinations.${i}.${field}`, { ...draft, destinations: draft.destinations.map((d, j) => (j === i ? { ...d, [field]: value } : d)) });
  const setSchedule = (i: number, field: keyof ScheduleDraft, value: string | boolean) =>
    change(`schedules.${i}.${field}`, { ...draft, schedules: draft.schedules.map((s, j) => (j === i ? { ...s, [field]: value } : s)) });
  const setRetention = (field: keyof ConfigDraft['retention'], value: string) =>
    change(`retention.${field}`, { ...draft, retention: { ...draft.retention, [field]: value } });

  /** The next run main computed, for a schedule saved as it is now. */
  const nextRunOf = (s: ScheduleDraft): string => {
    if (!s.enabled) return t('backup.settings.nextRunNone');
    const savedAs = view.config.schedules.find((x) => x.name === s.name.trim());
    if (!savedAs || savedAs.cron !== s.cron.trim() || !savedAs.enabled) return t('backup.settings.nextRunUnsaved');
    const next = status?.nextRuns.find((n) => n.schedule === savedAs.name);
    if (!next) return t('backup.settings.nextRunUnsaved');
    return next.at ? f.dateTime(next.at) : t('backup.settings.nextRunNone');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    setSaved(false);
    setBusy(true);
    const outcome = await useBackupStore.getState().saveConfig(draft);
    setBusy(false);
    if (outcome.ok) {
      setSaved(true);
      return;
    }
    setServer(outcome.fields);
    setError(outcome.error);
  };

  const invalid = submitted && Object.keys(local).length > 0;

  return (
    <form className="form backup-settings" onSubmit={(e) => void submit(e)} data-testid="backup-settings-form" noValidate>
      <h3>{t('backup.settings.title')}</h3>
      <p className="muted backup-small" data-testid="backup-settings-updated">
        {view.updatedAt ? t('backup.settings.lastSaved', { at: f.dateTime(view.updatedAt) }) : t('backup.settings.defaults')}
      </p>

      <fieldset className="card" data-testid="backup-destinations">
        <legend>{t('backup.settings.destinations')}</legend>
        <p className="hint">{t('backup.settings.destinationsHint')}</p>
        {draft.destinations.map((d, i) => (
          <div className="backup-row" key={i} data-testid={`dest-row-${i}`}>
            <label className="field grow">
              <span>{t('backup.settings.path')}</span>
              <input
                className="backup-mono"
                data-testid={`dest-path-${i}`}
                value={d.path}
                placeholder={t('backup.settings.pathPlaceholder')}
                onChange={(e) => setDestination(i, 'path', e.target.value)}
                aria-invalid={Boolean(problem(`destinations.${i}.path`))}
              />
              <Problem problem={problem(`destinations.${i}.path`)} testId={`dest-path-problem-${i}`} />
            </label>
            <label className="field">
              <span>{t('backup.settings.label')}</span>
              <input data-testid={`dest-label-${i}`} value={d.label} maxLength={100} onChange={(e) => setDestination(i, 'label', e.target.value)} />
              <Problem problem={problem(`destinations.${i}.label`)} testId={`dest-label-problem-${i}`} />
            </label>
            <label className="check">
              <input type="checkbox" data-testid={`dest-removable-${i}`} checked={d.removable} onChange={(e) => setDestination(i, 'removable', e.target.checked)} />
              {t('backup.settings.removable')}
            </label>
            <button
              type="button"
              className="btn"
              data-testid={`dest-remove-${i}`}
              onClick={() => reshape({ ...draft, destinations: draft.destinations.filter((_, j) => j !== i) })}
            >
              {t('backup.settings.remove')}
            </button>
          </div>
        ))}
        <Problem problem={problem('destinations')} testId="dest-problem" />
        <button
          type="button"
          className="btn"
          data-testid="dest-add"
          disabled={draft.destinations.length >= 10}
          onClick={() => reshape({ ...draft, destinations: [...draft.destinations, EMPTY_DESTINATION] })}
        >
          {t('backup.settings.addDestination')}
        </button>
      </fieldset>

      <fieldset className="card" data-testid="backup-schedules">
        <legend>{t('backup.settings.schedules')}</legend>
        <p className="hint">{t('backup.settings.schedulesHint')}</p>
        {draft.schedules.map((s, i) => (
          <div className="backup-row" key={i} data-testid={`sched-row-${i}`}>
            <label className="field">
              <span>{t('backup.settings.name')}</span>
              <input data-testid={`sched-name-${i}`} value={s.name} onChange={(e) => setSchedule(i, 'name', e.target.value)} aria-invalid={Boolean(problem(`schedules.${i}.name`))} />
              <Problem problem={problem(`schedules.${i}.name`)} testId={`sched-name-problem-${i}`} />
            </label>
            <label className="field grow">
              <span>{t('backup.settings.cron')}</span>
              <input
                className="backup-mono"
                data-testid={`sched-cron-${i}`}
                value={s.cron}
                onChange={(e) => setSchedule(i, 'cron', e.target.value)}
                aria-invalid={Boolean(problem(`schedules.${i}.cron`))}
              />
              <Problem problem={problem(`schedules.${i}.cron`)} testId={`sched-cron-problem-${i}`} />
            </label>
            <label className="check">
              <input type="checkbox" data-testid={`sched-enabled-${i}`} checked={s.enabled} onChange={(e) => setSchedule(i, 'enabled', e.target.checked)} />
              {t('backup.settings.enabled')}
            </label>
            <div className="field">
              <span>{t('backup.settings.nextRun')}</span>
              <span className="backup-next-run" data-testid={`sched-next-${i}`}>
                {nextRunOf(s)}
              </span>
            </div>
            <button
              type="button"
              className="btn"
              data-testid={`sched-remove-${i}`}
              onClick={() => reshape({ ...draft, schedules: draft.schedules.filter((_, j) => j !== i) })}
            >
              {t('backup.settings.remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn"
          data-testid="sched-add"
          disabled={draft.schedules.length >= 20}
          onClick={() => reshape({ ...draft, schedules: [...draft.schedules, NEW_SCHEDULE] })}
        >
          {t('backup.settings.addSchedule')}
        </button>
      </fieldset>

      <fieldset className="card" data-testid="backup-retention">
        <legend>{t('backup.settings.retention')}</legend>
        <p className="hint">{t('backup.settings.retentionHint')}</p>
        <div className="backup-row">
          {(['daily', 'weekly', 'monthly'] as const).map((field) => (
            <label className="field" key={field}>
              <span>{t(`backup.settings.${field}`)}</span>
              <input
                type="text"
                inputMode="numeric"
                data-testid={`retention-${field}`}
                value={draft.retention[field]}
                onChange={(e) => setRetention(field, e.target.value)}
                aria-invalid={Boolean(problem(`retention.${field}`))}
              />
              <Problem problem={problem(`retention.${field}`)} testId={`retention-${field}-problem`} />
            </label>
          ))}
        </div>
        <Problem problem={problem('retention')} testId="retention-problem" />
        <label className="field narrow">
          <span>{t('backup.settings.healthLimitHours')}</span>
          <input
            type="text"
            inputMode="numeric"
            data-testid="health-limit"
            value={draft.healthLimitHours}
            onChange={(e) => change('healthLimitHours', { ...draft, healthLimitHours: e.target.value })}
            aria-invalid={Boolean(problem('healthLimitHours'))}
          />
          <small className="hint">{t('backup.settings.healthLimitHint')}</small>
          <Problem problem={problem('healthLimitHours')} testId="health-limit-problem" />
        </label>
      </fieldset>

      {invalid && (
        <p className="notice notice-warn" data-testid="backup-settings-invalid" role="alert">
          {t('backup.settings.invalid')}
        </p>
      )}
      {error && <ErrorBanner error={error} testId="backup-settings-error" onDismiss={() => setError(null)} />}
      {saved && (
        <p className="notice notice-ok" data-testid="backup-settings-saved" role="status">
          {t('backup.settings.saved')}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="btn btn-primary" data-testid="backup-settings-save" disabled={busy}>
          {busy ? t('common.saving') : t('backup.settings.save')}
        </button>
      </div>
    </form>
  );
}

export function SettingsPanel() {
  const view = useBackupStore((s) => s.config);
  const status = useBackupStore((s) => s.status);
  const [saved, setSaved] = useState(false);
  // A new saved config (updatedAt) starts the form afresh from what main stored (paths normalized).
  return (
    <section className="panel backup-settings-panel" data-testid="backup-settings">
      {view && <Form key={view.updatedAt ?? 'defaults'} view={view} status={status} saved={saved} setSaved={setSaved} />}
    </section>
  );
}
