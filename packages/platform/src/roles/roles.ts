/** The roles of aTES: a pure module, so domain code can name them without loading the HTTP stack. */
export const roles = ['admin', 'manager', 'accountant', 'worker'] as const;
export type Role = (typeof roles)[number];
