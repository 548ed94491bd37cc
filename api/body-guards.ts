import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

/** Keys that reach an object's prototype when a body is merged or copied carelessly. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first forbidden key in a parsed JSON value, with its path (`input.__proto__`), or null.
 * Walks with its own stack, not recursion: a body nested 100 000 deep must not overflow the call stack.
 */
export function forbiddenKeyPath(value: unknown): string | null {
  interface Frame { v: unknown; key: string; parent: Frame | null }
  const pathOf = (f: Frame | null, last: string): string => {
    const parts = [last];
    for (let p = f; p && p.parent; p = p.parent) parts.push(p.key);
    return parts.reverse().join('.').replace(/\.\[/g, '[');
  };
  const stack: Frame[] = [{ v: value, key: '', parent: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.v;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], key: `[${i}]`, parent: frame });
      continue;
    }
    const keys = Object.keys(v);
    for (const key of keys) if (FORBIDDEN_KEYS.has(key)) return pathOf(frame, key);
    for (let i = keys.length - 1; i >= 0; i--) stack.push({ v: (v as Record<string, unknown>)[keys[i]!], key: keys[i]!, parent: frame });
  }
  return null;
}

/** The `charset` parameter of a Content-Type header, lower-cased and unquoted; null when absent. */
export function charsetOf(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*("?)([^";\s]*)\1/i.exec(contentType);
  return m ? m[2]!.toLowerCase() : null;
}

/**
 * Guards every request body before it is parsed:
 * - a body declared in a charset other than UTF-8 (`charset=utf-16`, `windows-1251`) → 415, since
 *   it would be read as UTF-8 anyway and stored garbled;
 * - JSON with a `__proto__`, `constructor` or `prototype` key anywhere → 400 saying so (fastify's
 *   own answer was a misleading "Body is not valid JSON").
 */
export function installBodyGuards(app: FastifyInstance): void {
  app.addHook('preParsing', async (req: FastifyRequest) => {
    const charset = charsetOf(req.headers['content-type']);
    if (charset !== null && charset !== 'utf-8' && charset !== 'utf8') {
      throw new ApiError(415, 'unsupported_media_type', `charset "${charset}" is not supported: send the body as UTF-8 (charset=utf-8)`);
    }
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(new ApiError(400, 'bad_input', 'body: empty, expected JSON', { issues: ['body: empty'] }), undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return done(new ApiError(400, 'bad_input', `body is not valid JSON: ${(error as Error).message}`, { issues: ['body: not valid JSON'] }), undefined);
    }
    const key = forbiddenKeyPath(parsed);
    if (key) {
      const name = key.split(/[.[]/).pop()!.replace(/]$/, '');
      return done(new ApiError(400, 'bad_input', `body: the key "${name}" (at ${key}) is not allowed: __proto__, constructor and prototype keys are refused`, { issues: [`${key}: forbidden key`] }), undefined);
    }
    done(null, parsed);
  });
}
