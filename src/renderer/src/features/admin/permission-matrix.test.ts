import { describe, expect, it } from 'vitest';
import { ROLES } from '../../../../shared/roles';
import { permissionMatrix } from './permission-matrix';

describe('permission matrix', () => {
  const rows = permissionMatrix();
  const row = (channel: string) => rows.find((r) => r.channel === channel);

  it('lists every channel of the contract once', () => {
    expect(new Set(rows.map((r) => r.channel)).size).toBe(rows.length);
    expect(row('users:create')).toBeDefined();
    expect(row('auth:login')).toBeDefined();
  });

  it('allows a public channel to every role', () => {
    expect(row('auth:login')?.access).toBe('public');
    expect(ROLES.every((r) => row('auth:login')?.allowed[r])).toBe(true);
  });

  it('allows a session channel to every role', () => {
    expect(row('settings:get')?.access).toBe('session');
    expect(ROLES.every((r) => row('settings:get')?.allowed[r])).toBe(true);
  });

  it('allows an admin-only channel to the admin role alone and marks it as changing data', () => {
    const create = row('users:create');
    expect(create?.access).toBe('roles');
    expect(create?.mutates).toBe(true);
    expect(ROLES.filter((r) => create?.allowed[r])).toEqual(['admin']);
  });

  it('computes rows for any role list', () => {
    const [only] = permissionMatrix({ 'x:y': { access: ['ops', 'expert'], mutates: false } });
    expect(ROLES.filter((r) => only?.allowed[r])).toEqual(['ops', 'expert']);
  });
});
