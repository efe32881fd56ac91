import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorData } from '../../../../shared/errors';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { useSettingsStore } from './settings-store';

function IdleForm({ initial }: { initial: number }) {
  const { t } = useTranslation();
  const save = useSettingsStore((s) => s.saveIdleMinutes);
  const [value, setValue] = useState(String(initial));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorData | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    const outcome = await save(Number(value));
    setBusy(false);
    if (outcome.ok) setSaved(true);
    else setError(outcome.error);
  };
  return (
    <form className="form card narrow" onSubmit={(e) => void submit(e)} data-testid="settings-form">
      <label className="field">
        <span>{t('admin.settings.idleMinutes')}</span>
        <input data-testid="settings-idle-minutes" type="number" min={1} max={240} step={1} required value={value} onChange={(e) => setValue(e.target.value)} />
        <small className="hint">{t('admin.settings.idleHint')}</small>
      </label>
      {error && <ErrorBanner error={error} testId="settings-error" onDismiss={() => setError(null)} />}
      {saved && (
        <p className="notice notice-ok" data-testid="settings-saved" role="status">
          {t('admin.settings.saved')}
        </p>
      )}
      <button type="submit" className="btn btn-primary" data-testid="settings-save" disabled={busy}>
        {busy ? t('common.saving') : t('common.save')}
      </button>
    </form>
  );
}

export function SettingsPanel() {
  const settings = useSettingsStore((s) => s.settings);
  useEffect(() => {
    void useSettingsStore.getState().load();
  }, []);
  return <section data-testid="admin-settings">{settings && <IdleForm key={settings.idleMinutes} initial={settings.idleMinutes} />}</section>;
}
