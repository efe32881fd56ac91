import { useTranslation } from 'react-i18next';
import { CommandButton } from './CommandButton';

/** en / 中文, persisted in localStorage by the language commands. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang-switch" role="group" aria-label={t('language.label')} data-testid="language-switcher">
      <CommandButton commandId="language.en" className="seg" testId="lang-en" pressed={i18n.language === 'en'}>
        {t('language.en')}
      </CommandButton>
      <CommandButton commandId="language.zh-CN" className="seg" testId="lang-zh-CN" pressed={i18n.language === 'zh-CN'}>
        {t('language.zhCN')}
      </CommandButton>
    </div>
  );
}
