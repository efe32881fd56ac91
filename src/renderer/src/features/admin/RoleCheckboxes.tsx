import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../shared/roles';

interface Props {
  readonly value: readonly Role[];
  readonly onChange: (roles: Role[]) => void;
  readonly testIdPrefix: string;
}

export function RoleCheckboxes({ value, onChange, testIdPrefix }: Props) {
  const { t } = useTranslation();
  const toggle = (role: Role, on: boolean) =>
    onChange(ROLES.filter((r) => (r === role ? on : value.includes(r))));
  return (
    <fieldset className="roles-fieldset">
      <legend>{t('admin.users.roles')}</legend>
      {ROLES.map((role) => (
        <label key={role} className="check">
          <input
            type="checkbox"
            data-testid={`${testIdPrefix}-role-${role}`}
            checked={value.includes(role)}
            onChange={(e) => toggle(role, e.target.checked)}
          />
          {t(`roles.${role}`)}
        </label>
      ))}
    </fieldset>
  );
}
