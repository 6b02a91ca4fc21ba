import { isEmailAddress } from '@ates/contracts';
import { RuleBroken } from '@ates/platform/errors';
import { type Role, roles } from '@ates/platform/roles';
import { type BeakShape, beakShapes } from './beakShapes.ts';

export { type Role, roles };

export interface Account {
  id: string;
  email: string;
  fullName: string;
  role: Role;
  active: boolean;
  beakShape: BeakShape | null;
}

export interface NewAccount {
  email: string;
  fullName: string;
  role: Role;
  password: string;
  beakShape?: BeakShape | null;
}

export const minimumPasswordLength = 10;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The rules a new or changed account must satisfy; throws the first one broken, in words. */
export function checkAccountFields(fields: {
  email?: string;
  fullName?: string;
  role?: string;
  password?: string;
  beakShape?: string | null;
}): void {
  if (fields.email !== undefined && !isEmailAddress(fields.email)) {
    throw new RuleBroken('invalid', `"${fields.email}" is not an email address`);
  }
  if (fields.fullName !== undefined && (fields.fullName.trim().length === 0 || fields.fullName.length > 200)) {
    throw new RuleBroken('invalid', 'The full name must have 1 to 200 characters');
  }
  if (fields.role !== undefined && !roles.includes(fields.role as Role)) {
    throw new RuleBroken('invalid', `The role must be one of ${roles.join(', ')}`);
  }
  if (
    fields.password !== undefined &&
    (fields.password.length < minimumPasswordLength || fields.password.length > 200)
  ) {
    throw new RuleBroken('invalid', `The password must have at least ${minimumPasswordLength} characters`);
  }
  if (
    fields.beakShape !== undefined &&
    fields.beakShape !== null &&
    !beakShapes.some((shape) => shape.id === fields.beakShape)
  ) {
    throw new RuleBroken('invalid', `Unknown beak shape "${fields.beakShape}"`);
  }
}
