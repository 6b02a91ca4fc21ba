/**
 * UberPopug's second factor: an account may register the shape of its beak, and then
 * must pick the same picture when signing in. The set is small and fixed.
 */
export const beakShapes = [
  { id: 'hooked', label: 'Hooked', path: 'M8 20 C 20 4, 40 6, 44 22 C 38 18, 30 22, 30 30 Z' },
  { id: 'conical', label: 'Conical', path: 'M8 14 L 44 24 L 8 34 Z' },
  { id: 'flat', label: 'Flat', path: 'M8 18 L 44 20 C 46 24, 46 26, 44 28 L 8 30 Z' },
  { id: 'probing', label: 'Long and thin', path: 'M8 21 L 46 24 L 8 27 Z' },
  { id: 'crossed', label: 'Crossed', path: 'M8 16 L 44 28 L 40 30 L 8 22 Z M8 32 L 44 20 L 40 18 L 8 26 Z' },
  { id: 'spoon', label: 'Spoon', path: 'M8 20 L 30 21 C 40 14, 48 22, 44 28 C 40 34, 32 28, 30 27 L 8 28 Z' },
] as const;

export type BeakShape = (typeof beakShapes)[number]['id'];

export function isBeakShape(value: unknown): value is BeakShape {
  return beakShapes.some((shape) => shape.id === value);
}
