import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../../shared/roles';
import { initI18n } from '../../i18n';
import { session } from '../../test-support/fake-api';
import { visibleModules } from './modules';
import { Shell } from './Shell';

const ids = (roles: Role[]) => visibleModules(roles).map((m) => m.id);

beforeAll(() => initI18n('en'));
afterEach(cleanup);

describe('role → navigation', () => {
  it('offers an annotator the inbox and the workspace only', () => {
    expect(ids(['annotator'])).toEqual(['inbox', 'workspace']);
  });

  it('offers the admin module to the admin role only', () => {
    expect(ids(['admin'])).toEqual(['admin']);
    for (const role of ['ops', 'labeling_admin', 'annotator', 'expert', 'algo_admin', 'algo_engineer', 'quant_user'] as Role[]) {
      expect(ids([role])).not.toContain('admin');
    }
  });

  it('gives each role its modules', () => {
    expect(ids(['ops'])).toEqual(['data', 'datasets', 'backup']);
    expect(ids(['labeling_admin'])).toEqual(['workspace', 'datasets']);
    expect(ids(['expert'])).toEqual(['workspace', 'results']);
    expect(ids(['algo_admin'])).toEqual(['results']);
    expect(ids(['algo_engineer'])).toEqual(['datasets', 'results', 'quant']);
    expect(ids(['quant_user'])).toEqual(['quant']);
  });

  it('shows the union of the modules of several roles, each once, in table order', () => {
    expect(ids(['annotator', 'expert', 'admin'])).toEqual(['inbox', 'workspace', 'results', 'admin']);
  });

  it('shows nothing to a person without roles', () => {
    expect(ids([])).toEqual([]);
  });

  it('renders exactly the allowed entries with stable test ids', () => {
    render(<Shell session={session({ roles: ['annotator'] })} />);
    expect(screen.getByTestId('nav-inbox')).toBeTruthy();
    expect(screen.getByTestId('nav-workspace')).toBeTruthy();
    expect(screen.queryByTestId('nav-admin')).toBeNull();
    expect(screen.queryByTestId('nav-data')).toBeNull();
    // The first module opens.
    expect(screen.getByTestId('module-inbox')).toBeTruthy();
  });

  it('tells a person without roles that no module is available', () => {
    render(<Shell session={session({ roles: [] })} />);
    expect(screen.getByTestId('nav').textContent).toContain('Ask an administrator');
  });
});
