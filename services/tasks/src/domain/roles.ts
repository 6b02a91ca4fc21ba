import type { Role } from '@ates/platform/roles';

/** Who may be given a task: any active account but the bosses. */
export const unassignableRoles: readonly Role[] = ['admin', 'manager'];

/** Who may press Shuffle. */
export const shufflingRoles: readonly Role[] = ['admin', 'manager'];
