import { Type, type TUnsafe } from '@sinclair/typebox';

/**
 * A string enum as plain JSON Schema `enum` (TypeBox would write an anyOf of
 * consts): editors complete it and a bad value gets one error, not one per
 * alternative.
 */
export function stringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number]; errorMessage?: string } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
