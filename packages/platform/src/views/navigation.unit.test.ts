import { describe, expect, it } from 'vitest';
import { dashboardsFor } from './navigation.ts';

const labels = (role: Parameters<typeof dashboardsFor>[0]) => dashboardsFor(role).map((item) => item.label);

describe('the navigation a role sees', () => {
  it('gives an admin every dashboard', () => {
    expect(labels('admin')).toEqual(['Tasks', 'Accounting', 'Analytics', 'Accounts', 'Mailbox']);
  });

  it('gives an accountant the ledger but not analytics or the account list', () => {
    expect(labels('accountant')).toEqual(['Tasks', 'Accounting', 'My account', 'Mailbox']);
  });

  it('sends a worker to their own balance and their own account', () => {
    expect(
      dashboardsFor('worker').filter((item) => item.service !== 'tasks' && item.service !== 'notifications'),
    ).toEqual([
      { service: 'accounting', label: 'My balance', path: '/' },
      { service: 'auth', label: 'My account', path: '/account' },
    ]);
  });

  it('gives a manager no analytics', () => {
    expect(labels('manager')).not.toContain('Analytics');
  });

  it('shows nothing to someone not signed in', () => {
    expect(dashboardsFor(undefined)).toEqual([]);
  });
});
