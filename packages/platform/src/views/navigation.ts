import type { ServiceName } from '../config/index.ts';
import type { Role } from '../roles/index.ts';

export interface Dashboard {
  service: ServiceName;
  label: string;
  path: string;
}

/**
 * The dashboards a role may open, named for what that role finds there: a worker's
 * "Accounting" is their own balance, and their "Accounts" is their own profile. Nobody is
 * shown a link that would answer 403; someone not signed in is shown none.
 */
export function dashboardsFor(role: Role | undefined): Dashboard[] {
  if (!role) return [];
  const management = role === 'admin' || role === 'accountant';
  return [
    { service: 'tasks', label: 'Tasks', path: '/' },
    { service: 'accounting', label: management ? 'Accounting' : 'My balance', path: '/' },
    ...(role === 'admin' ? [{ service: 'analytics' as const, label: 'Analytics', path: '/' }] : []),
    role === 'admin'
      ? { service: 'auth', label: 'Accounts', path: '/admin/accounts' }
      : { service: 'auth', label: 'My account', path: '/account' },
    { service: 'notifications', label: 'Mailbox', path: '/' },
  ];
}
