import { useTranslation } from 'react-i18next';

/** A module whose screens have not been built yet: says so, shows no made-up data. */
export function NotAvailable({ title, description, testId }: { title: string; description: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <section className="panel not-available" data-testid={testId}>
      <h2>{title}</h2>
      <p className="muted">{description}</p>
      <p className="notice notice-info">{t('modules.notAvailable')}</p>
    </section>
  );
}
