/**
 * Strict parsing of a factory's options object: an unknown key or a bad value is a TypeError that
 * names the options type (STYLE.md §Config, like p-queue's messages).
 */
import type { z } from 'zod';

/**
 * Parses `value` with `schema` (which must be a `z.strictObject`), or throws a TypeError whose
 * message starts with `typeName`, e.g. `LocalOcrSolverOptions: unknown option "wokers"`.
 */
export function parseStrictOptions<S extends z.ZodType>(schema: S, value: unknown, typeName: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    }
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return fail(`${typeName}: ${messages.join('; ')}`);
}

function fail(message: string): never {
  throw new TypeError(message);
}
